extension RegistryValidator {
    /// What the timetable's pass leaves for the loader to place: the problems of the file as a whole
    /// (it does not decode, is malformed, its header, rows of the wrong width), which the loader reports
    /// where the other files' are, before the problems of their rows.
    struct TimetableOutcome {
        /// Whether the file decoded and scanned and its header has every required column.
        var read: Bool
        var problems: [RegistryProblem]
        var warnings: [RegistryProblem]
    }

    /// Reads `timetable.csv` from `source` one window at a time and checks each row as it is scanned
    /// (a province's timetable has millions of rows; none is held but as the ``Lesson`` it becomes,
    /// nor is the file), then the overlaps of rooms and teachers. The rows are checked only when
    /// `checkRows` (the schools, rooms and teachers they refer to were read).
    mutating func timetable(
        _ file: String, _ source: inout some ByteSource, checkRows: Bool, window: Int = CSVStream.defaultWindow
    ) -> TimetableOutcome {
        let schools = Set(schoolList.map(\.id))
        let problemMark = problems.count
        let warningMark = warnings.count
        let lessonMark = lessons.count
        let totalBytes = source.byteCount
        var header: CSVRecord?
        var headerProblems: [RegistryProblem] = []
        var headerWarnings: [RegistryProblem] = []
        /// The required columns' indices, in ``RegistryLoader/timetableColumns`` order; nil when one is missing.
        var columns: [Int]?
        var misfits: [(line: Int, count: Int)] = []
        var rowsSeen = 0
        var reserved = false
        var lines = LessonLines()
        var rooms: [Int32] = []
        var teachers: [Int32] = []
        // Built only when the rows are checked (it is the size of the rooms and the teachers).
        let keys = TimetableKeys(checkRows ? self : RegistryValidator())
        // Each subject is one string that its lessons share (a long one is not copied for each).
        let subjects = ByteKeyIndex()
        var hint = (school: -1, subject: -1)

        func discardRows() {
            problems.removeSubrange(problemMark...)
            warnings.removeSubrange(warningMark...)
            lessons.removeSubrange(lessonMark...)
            lines = LessonLines()
            rooms.removeAll(keepingCapacity: true)
            teachers.removeAll(keepingCapacity: true)
        }

        let outcome = CSVStream.scanAhead(&source, window: window) { event in
            switch event {
            case .restart:
                discardRows()
                header = nil
                headerProblems = []
                headerWarnings = []
                columns = nil
                misfits = []
                rowsSeen = 0
            case .progress(let rawBytes):
                // Room for every row up front, estimated from the first window: growing by doubling would
                // hold the old and the new buffer of a province's lessons at once.
                guard checkRows, !reserved, rowsSeen > 0, rawBytes > 0, let totalBytes else { return }
                reserved = true
                let estimate = Int(Double(totalBytes) / Double(rawBytes) * Double(rowsSeen) * 1.02) + 1024
                lessons.reserveCapacity(lessonMark + estimate)
                rooms.reserveCapacity(estimate)
                teachers.reserveCapacity(estimate)
            case .record(let row):
                guard let header else {
                    let record = CSVRecord(line: row.line, fields: row.fields)
                    header = record
                    columns = self.columns(
                        file, record, required: RegistryLoader.timetableColumns, optional: []
                    ).map { names in RegistryLoader.timetableColumns.map { names[$0]! } }
                    headerProblems = Array(problems[problemMark...])
                    headerWarnings = Array(warnings[warningMark...])
                    problems.removeSubrange(problemMark...)
                    warnings.removeSubrange(warningMark...)
                    return
                }
                guard row.count == header.fields.count else {
                    misfits.append((row.line, row.count))
                    return
                }
                rowsSeen += 1
                guard checkRows, let columns else { return }
                var made = keys.lesson(row, columns, subjects: subjects, hint: &hint)
                if made == nil { made = self.lesson(file, row, columns, schools: schools, keys: keys, subjects: subjects) }
                guard let made else { return }
                lessons.append(made.lesson)
                lines.append(row.line)
                rooms.append(made.room)
                teachers.append(made.teacher)
            }
        }
        var fileProblems = headerProblems
        switch outcome {
        case .finished(let encoding):
            encodings[file] = encoding
        case .malformed(let failure, let encoding):
            encodings[file] = encoding
            discardRows()
            let problem = RegistryProblem(file: file, line: failure.line, field: "", message: "malformed CSV: \(failure.message)")
            return TimetableOutcome(read: false, problems: [problem], warnings: [])
        case .undecodable(let offset):
            discardRows()
            // The bytes before the one that did not decode, read again to name its line and column.
            let before = (try? source.prefix(offset)) ?? []
            let failure = TextDecoder.Failure(offset: offset, line: before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) })
            let problem = RegistryProblem(
                file: file, line: failure.line, field: Self.headerName(ofFieldAt: offset, in: before),
                message: failure.description.replacing("line \(failure.line): ", with: ""))
            return TimetableOutcome(read: false, problems: [problem], warnings: [])
        case .unreadable(let message):
            discardRows()
            return TimetableOutcome(
                read: false, problems: [RegistryProblem(file: file, line: 0, field: "", message: "cannot read: \(message)")],
                warnings: [])
        }
        guard let header else {
            let problem = RegistryProblem(
                file: file, line: 1, field: "",
                message: "file is empty (expected a header: \(RegistryLoader.timetableColumns.joined(separator: ",")))")
            return TimetableOutcome(read: false, problems: [problem], warnings: [])
        }
        guard columns != nil else { return TimetableOutcome(read: false, problems: fileProblems, warnings: headerWarnings) }
        for misfit in misfits {
            fileProblems.append(
                RegistryProblem(
                    file: file, line: misfit.line, field: "",
                    message: "has \(misfit.count) fields, the header has \(header.fields.count)"))
        }
        if checkRows {
            overlaps(file, lines: lines, owners: rooms, ownerCount: roomList.count, key: \.roomID, what: "room")
            overlaps(
                file, lines: lines, owners: teachers, ownerCount: teacherList.count, key: \.teacherID, what: "teacher")
            lessonTeacherOrdinals = teachers
        }
        return TimetableOutcome(read: true, problems: fileProblems, warnings: headerWarnings)
    }

    /// Checks one row of the timetable: its lesson, with the room's and teacher's ordinals, or nil
    /// when the row has a problem (reported). The slow path, for the rows that
    /// ``TimetableKeys/lesson(_:_:subjects:)`` does not take.
    private mutating func lesson(
        _ file: String, _ row: CSVRecordView, _ columns: [Int], schools: Set<String>, keys: TimetableKeys,
        subjects: ByteKeyIndex
    ) -> (lesson: Lesson, room: Int32, teacher: Int32)? {
        let line = row.line
        let schoolID = schoolReference(file, line, row.field(columns[0]).trimmingSpaces, known: schools.contains)
        var roomID = row.field(columns[1]).trimmingSpaces
        var roomEntry: (ordinal: Int32, schoolID: String)?
        // The list's own id: a long id is then one string shared by its lessons, not a copy each.
        if let k = keys.rooms.find(roomID) ?? keys.roomsByText[roomID] {
            let room = roomList[k]
            roomID = room.id
            roomEntry = (Int32(k), room.schoolID)
            if let schoolID, room.schoolID != schoolID {
                problem(file, line, "room_id", "room '\(roomID)' belongs to school \(room.schoolID), not \(schoolID)")
            }
        } else {
            problem(file, line, "room_id", roomID.isEmpty ? "must not be empty" : "unknown room '\(roomID)'")
        }
        var teacherID = row.field(columns[2]).trimmingSpaces
        var teacherEntry: (ordinal: Int32, schoolID: String)?
        if let k = keys.teachers.find(teacherID) ?? keys.teachersByText[teacherID] {
            let teacher = teacherList[k]
            teacherID = teacher.id
            teacherEntry = (Int32(k), teacher.schoolID)
            if let schoolID, teacher.schoolID != schoolID {
                warning(
                    file, line, "teacher_id", "teacher '\(teacherID)' belongs to school \(teacher.schoolID) and teaches here (走教)"
                )
            }
        } else {
            problem(file, line, "teacher_id", teacherID.isEmpty ? "must not be empty" : "unknown teacher '\(teacherID)'")
        }
        let weekdayText = row.field(columns[3]).trimmingSpaces
        let day = Int(weekdayText).flatMap { (1...7).contains($0) ? $0 : nil }
        if day == nil {
            problem(file, line, "weekday", "'\(weekdayText)' is not a weekday 1 (Monday) … 7 (Sunday)")
        }
        let startText = row.field(columns[4]).trimmingSpaces
        let endText = row.field(columns[5]).trimmingSpaces
        let from = TimeOfDay(parsing: startText)
        let to = TimeOfDay(parsing: endText)
        if from == nil { problem(file, line, "start", "'\(startText)' is not a time HH:MM") }
        if to == nil { problem(file, line, "end", "'\(endText)' is not a time HH:MM") }
        if let from, let to, to <= from {
            problem(file, line, "end", "\(to) is not after start \(from)")
            return nil
        }
        guard let schoolID, let roomEntry, let teacherEntry, let day, let from, let to else { return nil }
        // Added first, then read: `subjects.keys[subjects.insert(…)]` would read the list before the
        // subject is added to it.
        let subjectOrdinal = subjects.insert(row.field(columns[6]).trimmingSpaces)
        let subject = subjects.keys[subjectOrdinal]
        return (
            Lesson(
                schoolID: roomEntry.schoolID == schoolID ? roomEntry.schoolID : schoolID, roomID: roomID, teacherID: teacherID,
                weekday: day, start: from, end: to, subject: subject),
            roomEntry.ordinal, teacherEntry.ordinal
        )
    }

    /// Reports lessons that overlap in time on the same weekday for the same room or teacher.
    ///
    /// The lessons are grouped by owner with one counting sort of their positions (4 bytes a lesson,
    /// not a sort of 8-byte keys and its scratch copy); the few lessons of one owner are then sorted
    /// by weekday, start and line, so that the lessons of one owner and day are adjacent.
    private mutating func overlaps(
        _ file: String, lines: LessonLines, owners: [Int32], ownerCount: Int, key: KeyPath<Lesson, String>, what: String
    ) {
        precondition(lessons.count <= Int(UInt32.max), "registry too large to check")
        var start = [Int](repeating: 0, count: ownerCount + 1)
        for o in owners { start[Int(o) + 1] += 1 }
        for k in 0..<ownerCount { start[k + 1] += start[k] }
        var order = [UInt32](repeating: 0, count: owners.count)
        var next = start
        for (i, o) in owners.enumerated() {
            order[next[Int(o)]] = UInt32(i)
            next[Int(o)] += 1
        }
        next = []
        var found: [(Int, RegistryProblem)] = []
        var group: [UInt64] = []
        for owner in 0..<ownerCount where start[owner + 1] - start[owner] > 1 {
            // Weekday, start and the lesson's position (the order of its line) in one sortable word.
            group.removeAll(keepingCapacity: true)
            for k in start[owner]..<start[owner + 1] {
                let i = Int(order[k])
                let lesson = lessons[i]
                group.append(
                    UInt64(UInt8(bitPattern: Int8(clamping: lesson.weekday))) << 48 | UInt64(lesson.start.minutes) << 32
                        | UInt64(i))
            }
            group.sort()
            var latest = Int(group[0] & 0xFFFF_FFFF)
            for g in group.dropFirst() {
                let i = Int(g & 0xFFFF_FFFF)
                if lessons[i].weekday != lessons[latest].weekday {
                    latest = i
                    continue
                }
                if lessons[i].start < lessons[latest].end {
                    let a = lessons[latest]
                    let b = lessons[i]
                    let (first, second) = lines[latest] < lines[i] ? (lines[latest], lines[i]) : (lines[i], lines[latest])
                    found.append(
                        (
                            second,
                            RegistryProblem(
                                file: file, line: second, field: what == "room" ? "room_id" : "teacher_id",
                                message:
                                    "\(what) '\(b[keyPath: key])' has overlapping lessons on weekday \(b.weekday): \(a.start)–\(a.end) (line \(first)) and \(b.start)–\(b.end)"
                            )
                        ))
                }
                if lessons[i].end > lessons[latest].end { latest = i }
            }
        }
        problems.append(contentsOf: found.sorted { $0.0 < $1.0 }.map(\.1))
    }
}

/// The line of each lesson of the timetable, by its position. Rows are mostly one line each and
/// mostly become lessons, so the line is the position plus an offset that changes only at a row
/// that spans lines or does not become a lesson: those changes are kept, not a line a lesson.
struct LessonLines {
    /// (first position, line minus position) where the offset changes.
    private var changes: [(from: Int, offset: Int)] = []
    private(set) var count = 0

    mutating func append(_ line: Int) {
        let offset = line - count
        if changes.last?.offset != offset { changes.append((count, offset)) }
        count += 1
    }

    subscript(position: Int) -> Int {
        // The last change at or before `position`.
        var low = 0
        var high = changes.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if changes[middle].from <= position { low = middle } else { high = middle }
        }
        return position + changes[low].offset
    }
}

/// The fast path of the timetable's rows: the ids of the schools, rooms and teachers found by their
/// bytes, no `String` made but the subject's first, for a row that has no problem and no warning.
final class TimetableKeys {
    let schools: ByteKeyIndex
    let rooms: ByteKeyIndex
    let teachers: ByteKeyIndex
    /// The school (ordinal in ``schools``) of each room and teacher; -1 for none.
    let roomSchool: [Int32]
    let teacherSchool: [Int32]

    /// The rooms and teachers by `String` equality (canonical equivalence, which ``ByteKeyIndex`` does
    /// not see): made only for a row that names one in another Unicode normalization.
    private(set) lazy var roomsByText = Dictionary(
        rooms.keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    private(set) lazy var teachersByText = Dictionary(
        teachers.keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })

    init(_ v: RegistryValidator) {
        let schools = ByteKeyIndex(v.schoolList.map(\.id))
        self.schools = schools
        rooms = ByteKeyIndex(v.roomList.map(\.id))
        teachers = ByteKeyIndex(v.teacherList.map(\.id))
        roomSchool = v.roomList.map { Int32(schools.find($0.schoolID) ?? -1) }
        teacherSchool = v.teacherList.map { Int32(schools.find($0.schoolID) ?? -1) }
    }

    /// The row's lesson, with the room's and teacher's ordinals; nil when anything is amiss or
    /// unusual (the slow path then checks the row and reports it).
    ///
    /// `hint` holds the school and the subject of the row before: a timetable's rows come school by
    /// school, so they are most often found again without a hash.
    func lesson(
        _ row: CSVRecordView, _ c: [Int], subjects: ByteKeyIndex, hint: inout (school: Int, subject: Int)
    ) -> (lesson: Lesson, room: Int32, teacher: Int32)? {
        let last = hint
        guard let school = row.withTrimmedField(c[0], { schools.find($0, hint: last.school) }),
            let room = row.withTrimmedField(c[1], { rooms.find($0) }),
            let teacher = row.withTrimmedField(c[2], { teachers.find($0) }),
            roomSchool[room] == school, teacherSchool[teacher] == school,
            let day = row.withTrimmedField(c[3], { $0.count == 1 && (0x31...0x37).contains($0[0]) ? Int($0[0] - 0x30) : nil }),
            let from = row.withTrimmedField(c[4], { TimeOfDay(utf8: $0) }),
            let to = row.withTrimmedField(c[5], { TimeOfDay(utf8: $0) }),
            from < to
        else { return nil }
        let subject = row.withTrimmedField(c[6]) { bytes in
            if let k = subjects.find(bytes, hint: last.subject) {
                hint.subject = k
                return subjects.keys[k]
            }
            let text = String(decoding: bytes, as: UTF8.self)
            hint.subject = subjects.insert(text)
            return text
        }
        hint.school = school
        let lesson = Lesson(
            schoolID: schools.keys[school], roomID: rooms.keys[room], teacherID: teachers.keys[teacher], weekday: day,
            start: from, end: to, subject: subject)
        return (lesson, Int32(room), Int32(teacher))
    }
}
