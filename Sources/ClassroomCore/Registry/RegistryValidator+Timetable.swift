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
        var lines: [Int32] = []
        var rooms: [Int32] = []
        var teachers: [Int32] = []
        // Built only when the rows are checked (it is the size of the rooms and the teachers).
        let keys = TimetableKeys(checkRows ? self : RegistryValidator())
        // Each subject is one string that its lessons share (a long one is not copied for each).
        let subjects = ByteKeyIndex()

        func discardRows() {
            problems.removeSubrange(problemMark...)
            warnings.removeSubrange(warningMark...)
            lessons.removeSubrange(lessonMark...)
            lines.removeAll(keepingCapacity: true)
            rooms.removeAll(keepingCapacity: true)
            teachers.removeAll(keepingCapacity: true)
        }

        let outcome = CSVStream.scan(&source, window: window) { event in
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
                lines.reserveCapacity(estimate)
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
                var made = keys.lesson(row, columns, subjects: subjects)
                if made == nil { made = self.lesson(file, row, columns, schools: schools, subjects: subjects) }
                guard let made else { return }
                lessons.append(made.lesson)
                lines.append(Int32(truncatingIfNeeded: row.line))
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
            overlaps(file, lines: lines, owners: rooms, key: \.roomID, what: "room")
            overlaps(file, lines: lines, owners: teachers, key: \.teacherID, what: "teacher")
        }
        return TimetableOutcome(read: true, problems: fileProblems, warnings: headerWarnings)
    }

    /// Checks one row of the timetable: its lesson, with the room's and teacher's ordinals, or nil
    /// when the row has a problem (reported). The slow path, for the rows that
    /// ``TimetableKeys/lesson(_:_:subjects:)`` does not take.
    private mutating func lesson(
        _ file: String, _ row: CSVRecordView, _ columns: [Int], schools: Set<String>, subjects: ByteKeyIndex
    ) -> (lesson: Lesson, room: Int32, teacher: Int32)? {
        let line = row.line
        let schoolID = schoolReference(file, line, row.field(columns[0]).trimmingSpaces, known: schools.contains)
        var roomID = row.field(columns[1]).trimmingSpaces
        var roomEntry: (ordinal: Int32, schoolID: String)?
        // The index's own key: a long id is then one string shared by its lessons, not a copy each.
        if let i = roomIndex.index(forKey: roomID) {
            roomID = roomIndex[i].key
            roomEntry = roomIndex[i].value
            if let schoolID, roomIndex[i].value.schoolID != schoolID {
                problem(
                    file, line, "room_id", "room '\(roomID)' belongs to school \(roomIndex[i].value.schoolID), not \(schoolID)")
            }
        } else {
            problem(file, line, "room_id", roomID.isEmpty ? "must not be empty" : "unknown room '\(roomID)'")
        }
        var teacherID = row.field(columns[2]).trimmingSpaces
        var teacherEntry: (ordinal: Int32, schoolID: String)?
        if let i = teacherIndex.index(forKey: teacherID) {
            teacherID = teacherIndex[i].key
            teacherEntry = teacherIndex[i].value
            if let schoolID, teacherIndex[i].value.schoolID != schoolID {
                warning(
                    file, line, "teacher_id",
                    "teacher '\(teacherID)' belongs to school \(teacherIndex[i].value.schoolID) and teaches here (走教)")
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
        let subject = subjects.keys[subjects.insert(row.field(columns[6]).trimmingSpaces)]
        return (
            Lesson(
                schoolID: roomEntry.schoolID == schoolID ? roomEntry.schoolID : schoolID, roomID: roomID, teacherID: teacherID,
                weekday: day, start: from, end: to, subject: subject),
            roomEntry.ordinal, teacherEntry.ordinal
        )
    }

    /// Reports lessons that overlap in time on the same weekday for the same room or teacher.
    ///
    /// One sort of packed keys (owner, weekday, start, lesson) instead of a dictionary of groups: the
    /// lessons of one owner and day are then adjacent, by start time and then by line.
    private mutating func overlaps(
        _ file: String, lines: [Int32], owners: [Int32], key: KeyPath<Lesson, String>, what: String
    ) {
        precondition(lessons.count < 1 << 27 && owners.allSatisfy { $0 < 1 << 22 }, "registry too large to check")
        var keys = [UInt64](repeating: 0, count: lessons.count)
        for (i, lesson) in lessons.enumerated() {
            keys[i] =
                UInt64(owners[i]) << 41 | UInt64(lesson.weekday) << 38 | UInt64(lesson.start.minutes) << 27 | UInt64(i)
        }
        // The keys are made in lesson order, so a stable sort of the bits above the lesson is a sort.
        Self.radixSort(&keys, above: 27)
        var found: [(Int32, RegistryProblem)] = []
        var groupStart = 0
        while groupStart < keys.count {
            let group = keys[groupStart] >> 38
            var groupEnd = groupStart + 1
            while groupEnd < keys.count, keys[groupEnd] >> 38 == group { groupEnd += 1 }
            var latest = Int(keys[groupStart] & (1 << 27 - 1))
            for k in keys[(groupStart + 1)..<groupEnd] {
                let i = Int(k & (1 << 27 - 1))
                if lessons[i].start < lessons[latest].end {
                    let a = lessons[latest]
                    let b = lessons[i]
                    let (first, second) = lines[latest] < lines[i] ? (latest, i) : (i, latest)
                    found.append(
                        (
                            lines[second],
                            RegistryProblem(
                                file: file, line: Int(lines[second]), field: what == "room" ? "room_id" : "teacher_id",
                                message:
                                    "\(what) '\(b[keyPath: key])' has overlapping lessons on weekday \(b.weekday): \(a.start)–\(a.end) (line \(lines[first])) and \(b.start)–\(b.end)"
                            )
                        ))
                }
                if lessons[i].end > lessons[latest].end { latest = i }
            }
            groupStart = groupEnd
        }
        problems.append(contentsOf: found.sorted { $0.0 < $1.0 }.map(\.1))
    }
}

extension RegistryValidator {
    /// Sorts `keys` by their bits from `bit` up, keeping the order of keys equal in those bits: a
    /// least-significant-digit radix sort, 13 bits a pass, in linear time (a province's 7 million
    /// lessons take a comparison sort seconds).
    static func radixSort(_ keys: inout [UInt64], above bit: Int) {
        let digit = 13
        var other = [UInt64](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 1 << digit)
        var shift = bit
        var inOther = false
        while shift < 64 {
            let s = UInt64(shift)
            let mask = UInt64(1 << digit - 1)
            keys.withUnsafeMutableBufferPointer { a in
                other.withUnsafeMutableBufferPointer { b in
                    let (src, dst) = inOther ? (b, a) : (a, b)
                    counts.withUnsafeMutableBufferPointer { counts in
                        for i in counts.indices { counts[i] = 0 }
                        for k in src { counts[Int(truncatingIfNeeded: k >> s & mask)] += 1 }
                        var total = 0
                        for i in counts.indices {
                            let c = counts[i]
                            counts[i] = total
                            total += c
                        }
                        for k in src {
                            let d = Int(truncatingIfNeeded: k >> s & mask)
                            dst[counts[d]] = k
                            counts[d] += 1
                        }
                    }
                }
            }
            inOther.toggle()
            shift += digit
        }
        if inOther { swap(&keys, &other) }
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
    func lesson(_ row: CSVRecordView, _ c: [Int], subjects: ByteKeyIndex) -> (lesson: Lesson, room: Int32, teacher: Int32)? {
        guard let school = row.withTrimmedField(c[0], { schools.find($0) }),
            let room = row.withTrimmedField(c[1], { rooms.find($0) }),
            let teacher = row.withTrimmedField(c[2], { teachers.find($0) }),
            roomSchool[room] == school, teacherSchool[teacher] == school,
            let day = row.withTrimmedField(c[3], { $0.count == 1 && (0x31...0x37).contains($0[0]) ? Int($0[0] - 0x30) : nil }),
            let from = row.withTrimmedField(c[4], { TimeOfDay(utf8: $0) }),
            let to = row.withTrimmedField(c[5], { TimeOfDay(utf8: $0) }),
            from < to
        else { return nil }
        let subject = row.withTrimmedField(c[6]) { bytes in
            if let k = subjects.find(bytes) { return subjects.keys[k] }
            let text = String(decoding: bytes, as: UTF8.self)
            _ = subjects.insert(text)
            return text
        }
        let lesson = Lesson(
            schoolID: schools.keys[school], roomID: rooms.keys[room], teacherID: teachers.keys[teacher], weekday: day,
            start: from, end: to, subject: subject)
        return (lesson, Int32(room), Int32(teacher))
    }
}
