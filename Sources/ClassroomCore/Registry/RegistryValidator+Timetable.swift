extension RegistryValidator {
    /// Checks `timetable.csv` row by row as it is scanned (a province's timetable has millions of rows;
    /// none is held but as the ``Lesson`` it becomes), then the overlaps of rooms and teachers.
    mutating func timetable(_ t: CSVTable) {
        let schools = Set(schoolList.map(\.id))
        // The required columns are known to exist (``table(_:_:required:optional:)``).
        let school = t.columns["school_id"]!
        let room = t.columns["room_id"]!
        let teacher = t.columns["teacher_id"]!
        let weekday = t.columns["weekday"]!
        let start = t.columns["start"]!
        let end = t.columns["end"]!
        let subject = t.columns["subject"]!
        // Room for every row (one per line at most) up front: growing by doubling would hold the old and
        // the new buffer of a province's lessons at once.
        let rows = t.utf8.withUnsafeBufferPointer { $0[t.start...].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } } + 1
        lessons.reserveCapacity(lessons.count + rows)
        var lines: [Int32] = []
        var rooms: [Int32] = []
        var teachers: [Int32] = []
        lines.reserveCapacity(rows)
        rooms.reserveCapacity(rows)
        teachers.reserveCapacity(rows)
        t.forEachRow { row in
            let line = row.line
            let schoolID = schoolReference(t.file, line, row.field(school).trimmingSpaces, known: schools.contains)
            let roomID = row.field(room).trimmingSpaces
            let roomEntry = roomIndex[roomID]
            if let roomEntry {
                if let schoolID, roomEntry.schoolID != schoolID {
                    problem(t.file, line, "room_id", "room '\(roomID)' belongs to school \(roomEntry.schoolID), not \(schoolID)")
                }
            } else {
                problem(t.file, line, "room_id", roomID.isEmpty ? "must not be empty" : "unknown room '\(roomID)'")
            }
            let teacherID = row.field(teacher).trimmingSpaces
            let teacherEntry = teacherIndex[teacherID]
            if let teacherEntry {
                if let schoolID, teacherEntry.schoolID != schoolID {
                    warning(
                        t.file, line, "teacher_id",
                        "teacher '\(teacherID)' belongs to school \(teacherEntry.schoolID) and teaches here (走教)")
                }
            } else {
                problem(t.file, line, "teacher_id", teacherID.isEmpty ? "must not be empty" : "unknown teacher '\(teacherID)'")
            }
            let weekdayText = row.field(weekday).trimmingSpaces
            let day = Int(weekdayText).flatMap { (1...7).contains($0) ? $0 : nil }
            if day == nil {
                problem(t.file, line, "weekday", "'\(weekdayText)' is not a weekday 1 (Monday) … 7 (Sunday)")
            }
            let startText = row.field(start).trimmingSpaces
            let endText = row.field(end).trimmingSpaces
            let from = TimeOfDay(parsing: startText)
            let to = TimeOfDay(parsing: endText)
            if from == nil { problem(t.file, line, "start", "'\(startText)' is not a time HH:MM") }
            if to == nil { problem(t.file, line, "end", "'\(endText)' is not a time HH:MM") }
            if let from, let to, to <= from {
                problem(t.file, line, "end", "\(to) is not after start \(from)")
                return
            }
            guard let schoolID, let roomEntry, let teacherEntry, let day, let from, let to else { return }
            lessons.append(
                Lesson(
                    schoolID: schoolID, roomID: roomID, teacherID: teacherID, weekday: day, start: from, end: to,
                    subject: row.field(subject).trimmingSpaces))
            lines.append(Int32(truncatingIfNeeded: line))
            rooms.append(roomEntry.ordinal)
            teachers.append(teacherEntry.ordinal)
        }
        overlaps(t.file, lines: lines, owners: rooms, key: \.roomID, what: "room")
        overlaps(t.file, lines: lines, owners: teachers, key: \.teacherID, what: "teacher")
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
        keys.sort()
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
