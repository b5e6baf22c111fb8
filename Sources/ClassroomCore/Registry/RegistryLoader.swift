/// Reads and validates a county registry from its four CSV files (ARCHITECTURE.md §5) and the
/// optional `calendar.csv`.
///
/// All-or-nothing: either every file is valid and every cross reference resolves, or nothing is
/// returned and every problem is reported with file, line and field. Pure: the caller reads the files
/// (the timetable through a ``ByteSource``, one window at a time).
public enum RegistryLoader {
    public static let schoolsFile = "schools.csv"
    public static let roomsFile = "rooms.csv"
    public static let teachersFile = "teachers.csv"
    public static let timetableFile = "timetable.csv"
    /// The files of a registry folder, in the order they are checked.
    public static let fileNames = [schoolsFile, roomsFile, teachersFile, timetableFile]
    /// The term calendar (校历); without it every timetabled day is a school day.
    public static let calendarFile = "calendar.csv"
    /// Files a registry folder may hold besides ``fileNames``.
    public static let optionalFileNames = [calendarFile]

    static let schoolColumns = [
        "school_id", "name", "county", "township", "primary_classes", "primary_students",
        "junior_classes", "junior_students", "high_classes", "high_students",
    ]
    /// The national standard's resources a school may declare (``SchoolResource``), per compulsory stage.
    static let schoolOptionalColumns = SchoolResource.columns
    static let roomColumns = ["room_id", "school_id", "name", "kind", "stage", "class_name"]
    static let roomOptionalColumns = ["declared"]
    static let teacherColumns = ["teacher_id", "school_id", "name", "subjects"]
    static let teacherOptionalColumns = ["position"]
    static let timetableColumns = ["school_id", "room_id", "teacher_id", "weekday", "start", "end", "subject"]
    static let calendarColumns = ["date", "kind", "note"]
    static let calendarOptionalColumns = ["timetable_weekday"]

    /// Validates `files` (file name → raw bytes in UTF-8, UTF-8 with BOM, or GB18030).
    public static func load(_ files: [String: [UInt8]]) throws(RegistryProblems) -> LoadedRegistry {
        var others = files
        let timetable = others.removeValue(forKey: timetableFile).map { ByteArraySource($0) }
        return try load(others, timetable: timetable)
    }

    /// Validates `files` and the timetable read from `timetable` (nil when there is none) one window
    /// at a time, so that a province's timetable is never held whole; `files[timetableFile]` is
    /// not read.
    public static func load(_ files: [String: [UInt8]], timetable: (some ByteSource)?) throws(RegistryProblems)
        -> LoadedRegistry
    {
        try load(files, timetable: timetable, window: CSVStream.defaultWindow)
    }

    static func load(_ files: [String: [UInt8]], timetable: (some ByteSource)?, window: Int) throws(RegistryProblems)
        -> LoadedRegistry
    {
        var v = RegistryValidator()
        var tables: [String: CSVTable] = [:]
        for name in [schoolsFile, roomsFile, teachersFile] {
            guard let bytes = files[name] else {
                v.problem(name, 0, "", "file is missing")
                continue
            }
            let optional =
                name == roomsFile
                ? roomOptionalColumns
                : name == teachersFile ? teacherOptionalColumns : schoolOptionalColumns
            let required =
                switch name {
                case schoolsFile: schoolColumns
                case roomsFile: roomColumns
                default: teacherColumns
                }
            if let table = v.table(name, bytes, required: required, optional: optional) { tables[name] = table }
        }
        if timetable == nil { v.problem(timetableFile, 0, "", "file is missing") }
        // The timetable is read after the rows it refers to are checked; the problems of the file as a
        // whole are reported here, with the other files'.
        let problemMark = v.problems.count
        let warningMark = v.warnings.count
        var calendarTable: CSVTable?
        if let bytes = files[calendarFile] {
            calendarTable = v.table(calendarFile, bytes, required: calendarColumns, optional: calendarOptionalColumns)
        }
        for name in files.keys.sorted() where !fileNames.contains(name) && !optionalFileNames.contains(name) {
            v.warning(name, 0, "", "not a registry file; ignored")
        }
        // Files are checked in dependency order; a file that could not be read at all stops the
        // checks of the files that refer to it, so one broken file does not drown in follow-on noise.
        if let t = tables[schoolsFile] {
            v.schools(t)
            if let t = tables[roomsFile] { v.rooms(t) }
            if let t = tables[teachersFile] { v.teachers(t) }
        }
        // The checked files' text is not needed again: a GB18030 file's UTF-8 copy goes before the
        // timetable's lessons are made.
        let allTablesRead = tables.count == 3
        tables = [:]
        var timetableRead = false
        if var source = timetable {
            let read = v.timetable(timetableFile, &source, checkRows: allTablesRead, window: window)
            v.problems.insert(contentsOf: read.problems, at: problemMark)
            v.warnings.insert(contentsOf: read.warnings, at: warningMark)
            timetableRead = read.read
        }
        let calendar = calendarTable.flatMap { v.calendar($0) }
        guard v.problems.isEmpty, allTablesRead, timetableRead, files[calendarFile] == nil || calendar != nil else {
            throw RegistryProblems(problems: v.problems, warnings: v.warnings)
        }
        var registry = Registry(
            schools: v.schoolList, rooms: v.roomList, teachers: v.teacherList, lessons: v.lessons, calendar: calendar)
        registry.seedLessonTeachers(v.lessonTeacherOrdinals)
        return LoadedRegistry(registry: registry, warnings: v.warnings, encodings: v.encodings)
    }
}

/// A decoded CSV file with its header mapped to column indices. It holds the file's UTF-8 bytes, not
/// its records, which are read into ``rows``: for the small files (the timetable is read from a
/// ``ByteSource`` window by window, ``RegistryValidator/timetable(_:_:checkRows:window:)``).
struct CSVTable {
    var file: String
    var columns: [String: Int]
    /// The file as UTF-8 (the caller's bytes when they were UTF-8), from ``start`` (past a BOM).
    var utf8: [UInt8]
    var start: Int
    /// The header's number of fields; rows with another number were reported and are skipped.
    var width: Int

    /// Calls `body` with each row after the header that has the header's number of fields.
    func forEachRow(_ body: (CSVRecordView) -> Void) {
        utf8.withUnsafeBufferPointer { buffer in
            var header = true
            // The file was scanned once without error when the table was made.
            try? CSVReader.scan(UnsafeBufferPointer(rebasing: buffer[start...])) { row in
                if header {
                    header = false
                } else if row.count == width {
                    body(row)
                }
            }
        }
    }

    /// The rows after the header that have the header's number of fields.
    var rows: [CSVRecord] {
        var rows: [CSVRecord] = []
        forEachRow { rows.append(CSVRecord(line: $0.line, fields: $0.fields)) }
        return rows
    }

    func value(_ row: CSVRecord, _ column: String) -> String? {
        guard let i = columns[column] else { return nil }
        return i < row.fields.count ? row.fields[i].trimmingSpaces : ""
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (Excel users pad cells).
    var trimmingSpaces: String {
        // Fast path for the millions of clean cells of a large timetable: no Character work at all.
        // (U+3000 starts with 0xE3 and ends with 0x80 in UTF-8.)
        let first = utf8.first
        let last = utf8.last
        if first != 0x20, first != 0x09, first != 0xE3, last != 0x20, last != 0x09, last != 0x80 { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" { s = s.dropLast() }
        return s.utf8.count == utf8.count ? self : String(s)
    }
}
