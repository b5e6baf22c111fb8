/// The checks of ``RegistryLoader``, collecting every problem rather than stopping at the first.
struct RegistryValidator {
    /// Largest class or student count of one school and stage (the largest schools have tens of thousands).
    static let maximumCount = 10_000_000

    var problems: [RegistryProblem] = []
    var warnings: [RegistryProblem] = []
    var encodings: [String: TextEncoding] = [:]

    var schoolList: [School] = []
    var roomList: [Room] = []
    var teacherList: [Teacher] = []
    var lessons: [Lesson] = []
    /// For each lesson the timetable's check made, its teacher's ordinal in ``teacherList`` (its first
    /// place); empty when the rows were not checked (``Registry/seedLessonTeachers(_:)`` takes it only
    /// when there is one per lesson).
    var lessonTeacherOrdinals: [Int32] = []
    private var schoolLine: [String: Int] = [:]

    mutating func problem(_ file: String, _ line: Int, _ field: String, _ message: String) {
        problems.append(RegistryProblem(file: file, line: line, field: field, message: message))
    }

    mutating func warning(_ file: String, _ line: Int, _ field: String, _ message: String) {
        warnings.append(RegistryProblem(file: file, line: line, field: field, message: message))
    }

    /// The header's name of the column that byte `offset` lies in (`column N` past the header, empty
    /// when the byte is in the header itself or the header does not decode either). Linear in `offset`.
    static func headerName(ofFieldAt offset: Int, in bytes: [UInt8]) -> String {
        guard let end = bytes.firstIndex(of: 0x0A), end < offset else { return "" }
        let index = CSVReader.fieldIndex(at: offset, in: bytes)
        guard let header = try? TextDecoder.decode(Array(bytes[..<end])),
            let names = try? CSVReader.records(header.text).first?.fields
        else { return "" }
        return index < names.count ? names[index].trimmingSpaces : "column \(index + 1)"
    }

    mutating func table(_ file: String, _ bytes: [UInt8], required: [String], optional: [String]) -> CSVTable? {
        let decoded: (bytes: [UInt8], start: Int, encoding: TextEncoding)
        do {
            decoded = try TextDecoder.utf8(bytes)
            encodings[file] = decoded.encoding
        } catch {
            problem(
                file, error.line, Self.headerName(ofFieldAt: error.offset, in: bytes),
                error.description.replacing("line \(error.line): ", with: ""))
            return nil
        }
        // One pass that keeps only the header and the rows of the wrong width: the rows themselves are
        // read by the checks, one at a time.
        var header: CSVRecord?
        var misfits: [(line: Int, count: Int)] = []
        let malformed = decoded.bytes.withUnsafeBufferPointer { buffer -> CSVReader.Failure? in
            do throws(CSVReader.Failure) {
                try CSVReader.scan(UnsafeBufferPointer(rebasing: buffer[decoded.start...])) { record in
                    if let header {
                        if record.count != header.fields.count { misfits.append((record.line, record.count)) }
                    } else {
                        header = CSVRecord(line: record.line, fields: record.fields)
                    }
                }
                return nil
            } catch {
                return error
            }
        }
        if let malformed {
            problem(file, malformed.line, "", "malformed CSV: \(malformed.message)")
            return nil
        }
        guard let header else {
            problem(file, 1, "", "file is empty (expected a header: \(required.joined(separator: ",")))")
            return nil
        }
        guard let columns = self.columns(file, header, required: required, optional: optional) else { return nil }
        for misfit in misfits {
            problem(file, misfit.line, "", "has \(misfit.count) fields, the header has \(header.fields.count)")
        }
        return CSVTable(
            file: file, columns: columns, utf8: decoded.bytes, start: decoded.start, width: header.fields.count)
    }

    /// The header's columns by name (the first of a name that appears twice, which is a problem; an
    /// unknown name is a warning), or nil when a required column is missing (a problem each).
    mutating func columns(_ file: String, _ header: CSVRecord, required: [String], optional: [String]) -> [String: Int]? {
        var columns: [String: Int] = [:]
        for (i, raw) in header.fields.enumerated() {
            let name = raw.trimmingSpaces
            if columns[name] != nil {
                problem(file, header.line, name, "column appears twice in the header")
            } else if required.contains(name) || optional.contains(name) {
                columns[name] = i
            } else {
                warning(file, header.line, name, "unknown column ignored")
                columns[name] = i
            }
        }
        let missing = required.filter { columns[$0] == nil }
        for name in missing { problem(file, header.line, name, "missing column") }
        return missing.isEmpty ? columns : nil
    }

    private mutating func id(_ t: CSVTable, _ row: CSVRecord, _ column: String, seen: [String: Int]) -> String? {
        let value = t.value(row, column) ?? ""
        if value.isEmpty {
            problem(t.file, row.line, column, "empty id")
            return nil
        }
        if let first = seen[value] {
            problem(t.file, row.line, column, "duplicate id '\(value)' (first on line \(first))")
            return nil
        }
        return value
    }

    private mutating func required(_ t: CSVTable, _ row: CSVRecord, _ column: String) -> String? {
        let value = t.value(row, column) ?? ""
        if value.isEmpty { problem(t.file, row.line, column, "must not be empty") }
        return value.isEmpty ? nil : value
    }

    private mutating func count(_ t: CSVTable, _ row: CSVRecord, _ column: String) -> Int? {
        let text = t.value(row, column) ?? ""
        if text.isEmpty { return 0 }
        guard let n = Int(text) else {
            problem(t.file, row.line, column, "'\(text)' is not a whole number")
            return nil
        }
        guard n >= 0 else {
            problem(t.file, row.line, column, "must not be negative (\(n))")
            return nil
        }
        // Bounded so that the county's sums of classes and students cannot overflow.
        guard n <= Self.maximumCount else {
            problem(t.file, row.line, column, "\(n) is more than \(Self.maximumCount)")
            return nil
        }
        return n
    }

    /// A declared resource: blank is nil (not declared); otherwise a finite, non-negative number,
    /// whole for teacher counts. A bad value is a problem (the import fails) but the school stays
    /// known, so its rooms and teachers are not reported as unknown on top of it.
    private mutating func resource(_ t: CSVTable, _ row: CSVRecord, _ resource: SchoolResource, _ stage: Stage) -> Double? {
        let column = resource.column(stage)
        let text = t.value(row, column) ?? ""
        if text.isEmpty { return nil }
        // Double("nan") and Double("inf") parse; a quantity must be a plain decimal number.
        guard let v = Double(text), v.isFinite, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) })
        else {
            problem(t.file, row.line, column, "'\(text)' is not a number")
            return nil
        }
        guard v >= 0 else {
            problem(t.file, row.line, column, "must not be negative (\(text))")
            return nil
        }
        if resource.isCount, v != v.rounded() {
            problem(t.file, row.line, column, "'\(text)' is not a whole number of teachers")
            return nil
        }
        let limit = resource.isCount ? Double(Self.maximumCount) : SchoolResource.maximumAmount
        guard v <= limit else {
            problem(t.file, row.line, column, "\(text) is more than \(resource.isCount ? String(Self.maximumCount) : "10^12")")
            return nil
        }
        return v
    }

    mutating func schools(_ t: CSVTable) {
        for row in t.rows {
            let id = id(t, row, "school_id", seen: schoolLine)
            let name = required(t, row, "name")
            let county = required(t, row, "county")
            let township = t.value(row, "township") ?? ""
            var stages: [StageEnrollment] = []
            var ok = true
            for stage in Stage.allCases {
                let classes = count(t, row, "\(stage.rawValue)_classes")
                let students = count(t, row, "\(stage.rawValue)_students")
                guard let classes, let students else {
                    ok = false
                    continue
                }
                if students > 0, classes == 0 {
                    problem(
                        t.file, row.line, "\(stage.rawValue)_classes", "\(students) \(stage.rawValue) students but no classes")
                    ok = false
                }
                var resources: [SchoolResource: Double] = [:]
                if SchoolResource.stages.contains(stage) {
                    for r in SchoolResource.allCases {
                        guard let v = resource(t, row, r, stage) else { continue }
                        // A zero is harmless in a template filled for every stage; a quantity is not.
                        if classes == 0, v > 0 {
                            problem(t.file, row.line, r.column(stage), "school has no \(stage.rawValue) classes")
                        } else if classes > 0 {
                            resources[r] = v
                        }
                    }
                }
                stages.append(StageEnrollment(classes: classes, students: students, resources: resources))
            }
            if let id { schoolLine[id] = row.line }
            guard let id, let name, let county, ok else { continue }
            if stages.allSatisfy({ $0.classes == 0 }) {
                problem(t.file, row.line, "primary_classes", "school has no classes in any stage")
                continue
            }
            schoolList.append(
                School(
                    id: id, name: name, county: county, township: township, primary: stages[0], junior: stages[1], high: stages[2]
                ))
        }
    }

    mutating func rooms(_ t: CSVTable) {
        let schools = Dictionary(schoolList.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let schoolIDs = Set(schools.keys)
        var seen: [String: Int] = [:]
        // The few distinct `declared` cells that have no problem, each parsed once and its set shared
        // by the rooms that declare it; the same for names.
        var declaredSets: [String: Set<DeclaredEquipment>] = [:]
        var names = StringPool()
        // Sized once: a province has hundreds of thousands of rooms and teachers.
        let rows = t.rows
        seen.reserveCapacity(rows.count)
        roomList.reserveCapacity(rows.count)
        for row in rows {
            let id = id(t, row, "room_id", seen: seen)
            if let id { seen[id] = row.line }
            let schoolID = schoolReference(t, row, schools: schoolIDs)
            let name = required(t, row, "name")
            let kindText = t.value(row, "kind") ?? ""
            let kind = RoomKind(rawValue: kindText)
            if kind == nil {
                problem(
                    t.file, row.line, "kind",
                    "'\(kindText)' is not one of \(RoomKind.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            let stageText = t.value(row, "stage") ?? ""
            let stage = RoomStage(rawValue: stageText)
            if stage == nil {
                problem(
                    t.file, row.line, "stage",
                    "'\(stageText)' is not one of \(RoomStage.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            if let s = stage?.stage, let schoolID, let school = schools[schoolID], school[s].classes == 0 {
                problem(t.file, row.line, "stage", "school \(schoolID) has no \(s.rawValue) classes")
                continue
            }
            var declared: Set<DeclaredEquipment>?
            if let text = t.value(row, "declared"), let set = declaredSets[text] {
                declared = set
            } else if let text = t.value(row, "declared"), !text.isEmpty {
                let before = problems.count
                var set = Set<DeclaredEquipment>()
                for part in text.split(whereSeparator: { $0 == ";" || $0 == "；" }).map({ String($0).trimmingSpaces })
                where !part.isEmpty {
                    if let e = DeclaredEquipment(rawValue: part) {
                        set.insert(e)
                    } else {
                        problem(
                            t.file, row.line, "declared",
                            "'\(part)' is not one of \(DeclaredEquipment.allCases.map(\.rawValue).joined(separator: ";"))")
                    }
                }
                declared = set
                if problems.count == before { declaredSets[text] = set }
            }
            guard let id, let schoolID, var name, let kind, let stage else { continue }
            var className = t.value(row, "class_name") ?? ""
            // Names repeat from school to school (一年级1班教室); one string each is kept.
            name = names.intern(name)
            className = names.intern(className)
            roomList.append(
                Room(id: id, schoolID: schoolID, name: name, kind: kind, stage: stage, className: className, declared: declared))
        }
    }

    mutating func teachers(_ t: CSVTable) {
        let schools = Set(schoolList.map(\.id))
        var seen: [String: Int] = [:]
        var subjectLists: [String: [String]] = [:]
        let rows = t.rows
        seen.reserveCapacity(rows.count)
        teacherList.reserveCapacity(rows.count)
        for row in rows {
            let id = id(t, row, "teacher_id", seen: seen)
            if let id { seen[id] = row.line }
            let schoolID = schoolReference(t, row, schools: schools)
            let name = required(t, row, "name")
            let subjectsText = t.value(row, "subjects") ?? ""
            let subjects: [String]
            if let known = subjectLists[subjectsText] {
                subjects = known
            } else {
                subjects = subjectsText.split(whereSeparator: { $0 == ";" || $0 == "、" || $0 == "；" })
                    .map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
                // Teachers mostly teach one of a few subject lists; each is then one array.
                if subjectLists.count < 4096 { subjectLists[subjectsText] = subjects }
            }
            var position: TeacherPosition?
            if let cell = t.value(row, "position"), !cell.trimmingSpaces.isEmpty {
                position = TeacherPosition(cell: cell)
                if position == nil {
                    problem(
                        t.file, row.line, "position",
                        "'\(cell)' is not a position: principal (校长), vice_principal (副校长), or empty")
                }
            }
            guard let id, let schoolID, let name else { continue }
            teacherList.append(Teacher(id: id, schoolID: schoolID, name: name, subjects: subjects, position: position))
        }
    }

    private mutating func schoolReference(_ t: CSVTable, _ row: CSVRecord, schools: Set<String>) -> String? {
        schoolReference(t, row) { schools.contains($0) }
    }

    private mutating func schoolReference(_ t: CSVTable, _ row: CSVRecord, known: (String) -> Bool) -> String? {
        schoolReference(t.file, row.line, t.value(row, "school_id") ?? "", known: known)
    }

    mutating func schoolReference(_ file: String, _ line: Int, _ value: String, known: (String) -> Bool) -> String? {
        if value.isEmpty {
            problem(file, line, "school_id", "must not be empty")
            return nil
        }
        guard known(value) else {
            problem(file, line, "school_id", "unknown school '\(value)'")
            return nil
        }
        return value
    }
}

/// Equal strings made one: a string seen before is returned as the one first kept, so that its
/// storage is shared (a province's rooms repeat a few hundred names; a name of more than 15 UTF-8
/// bytes is otherwise an allocation each).
struct StringPool {
    private var strings: Set<String> = []

    mutating func intern(_ s: String) -> String {
        // Up to 15 UTF-8 bytes a string is stored inline: there is nothing to share.
        guard s.utf8.count > 15 else { return s }
        if let kept = strings.firstIndex(of: s) { return strings[kept] }
        if strings.count < 1 << 16 { strings.insert(s) }
        return s
    }
}
