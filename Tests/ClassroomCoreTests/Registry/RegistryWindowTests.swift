import Testing

@testable import ClassroomCore

/// The timetable is read from a ``ByteSource`` one window at a time: a registry read through tiny
/// windows and reads must load, and fail, exactly as one read whole.
@Suite struct RegistryWindowTests {
    /// The fixture with a timetable of many rows: each weekday of room R1 and teacher T1 in 40-minute
    /// slots, with quoted subjects that hold a comma or a line break, and Chinese throughout.
    static func fixture(lineEnd: String = "\n") -> RegistryFixture {
        var f = RegistryFixture()
        var rows = ["school_id,room_id,teacher_id,weekday,start,end,subject"]
        for day in 1...7 {
            for slot in 0..<6 {
                let start = TimeOfDay(minutes: 8 * 60 + slot * 50)
                let end = TimeOfDay(minutes: start.minutes + 40)
                let subject = ["语文", "\"数学, 奥数\"", "\"科学\(lineEnd)实验\"", "道德与法治（含心理健康教育）"][(day + slot) % 4]
                rows.append("S1,R1,T1,\(day),\(start),\(end),\(subject)")
            }
        }
        f.timetable = rows.joined(separator: lineEnd)
        return f
    }

    static func load(
        _ files: [String: [UInt8]], piece: Int, window: Int
    ) -> Result<LoadedRegistry, RegistryProblems> {
        var others = files
        let timetable = others.removeValue(forKey: "timetable.csv").map { ByteArraySource($0, pieceSize: piece) }
        return Result { () throws(RegistryProblems) in try RegistryLoader.load(others, timetable: timetable, window: window) }
    }

    static func descriptions(_ result: Result<LoadedRegistry, RegistryProblems>) -> [String] {
        switch result {
        case .success: []
        case .failure(let error): error.problems.map(\.description)
        }
    }

    @Test func tinyWindowsLoadTheSameRegistry() throws {
        for lineEnd in ["\n", "\r\n"] {
            let files = Self.fixture(lineEnd: lineEnd).files()
            let whole = try RegistryLoader.load(files)
            #expect(whole.registry.lessons.count == 42)
            #expect(whole.registry.lessons.contains { $0.subject == "科学\(lineEnd)实验" })
            #expect(whole.registry.lessons.contains { $0.subject == "数学, 奥数" })
            for (piece, window) in [(1, 16), (3, 16), (7, 23), (1000, 32), (1, 1 << 20)] {
                let windowed = try Self.load(files, piece: piece, window: window).get()
                #expect(windowed.registry == whole.registry, "piece \(piece), window \(window)")
                #expect(windowed.encodings == whole.encodings)
            }
        }
    }

    @Test func gb18030AndByteOrderMarkTimetablesLoadThroughTinyWindows() throws {
        var files = Self.fixture().files()
        let whole = try RegistryLoader.load(files)
        let text = String(decoding: files["timetable.csv"]!, as: UTF8.self)
        files["timetable.csv"] = try #require(TextDecoder.encodeGB18030(text))
        for piece in [1, 2, 5] {
            let gb = try Self.load(files, piece: piece, window: 16).get()
            #expect(gb.registry == whole.registry)
            #expect(gb.encodings["timetable.csv"] == .gb18030)
        }
        files["timetable.csv"] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        for piece in [1, 2, 5] {
            let bom = try Self.load(files, piece: piece, window: 16).get()
            #expect(bom.registry == whole.registry)
            #expect(bom.encodings["timetable.csv"] == .utf8WithBOM)
        }
    }

    /// The physical lines of the fixture's timetable (some quoted subjects hold a line break).
    static let lines = fixture().timetable.split(separator: "\n", omittingEmptySubsequences: false).count

    @Test func problemsNameTheirLinesAcrossWindows() {
        var f = Self.fixture()
        // An unknown room, then a lesson that overlaps line 2 (R1, Monday 08:00–08:40).
        f.timetable += "\nS1,R9,T1,1,18:00,18:40,语文\nS1,R1,T2,1,08:10,08:30,英语"
        let whole = f.problems()
        #expect(Self.lines > 43)
        #expect(whole.contains("timetable.csv:\(Self.lines + 1): room_id: unknown room 'R9'"))
        #expect(whole.contains { $0.hasPrefix("timetable.csv:\(Self.lines + 2): room_id: room 'R1' has overlapping lessons") })
        for (piece, window) in [(1, 16), (5, 23)] {
            #expect(Self.descriptions(Self.load(f.files(), piece: piece, window: window)) == whole)
        }
    }

    @Test func aMalformedRowPastManyWindowsRejectsTheRegistry() {
        var f = Self.fixture()
        // Row problems before it are dropped: the file as a whole is malformed.
        f.timetable += "\nS1,R9,T1,1,18:00,18:40,语文\nS1,R1,T1,\"2,09:00,09:40,语文"
        let expected = ["timetable.csv:\(Self.lines + 2): malformed CSV: quoted field is never closed"]
        #expect(f.problems() == expected)
        for (piece, window) in [(1, 16), (5, 23), (1 << 20, 1 << 20)] {
            #expect(Self.descriptions(Self.load(f.files(), piece: piece, window: window)) == expected)
        }
    }

    @Test func fileProblemsOfTheTimetableComeBeforeRowProblemsOfTheOtherFiles() {
        var f = RegistryFixture()
        f.rooms += "\nR6,S9,礼堂,other,shared,,"
        f.timetable += "\nS1,R1,T1,7,08:00,08:40,语文,x"
        // As when every file was decoded and scanned before any row was checked.
        let expected = ["timetable.csv:8: has 8 fields, the header has 7", "rooms.csv:7: school_id: unknown school 'S9'"]
        #expect(f.problems() == expected)
        for piece in [1, 4] {
            #expect(Self.descriptions(Self.load(f.files(), piece: piece, window: 16)) == expected)
        }
    }

    @Test func anUndecodableTimetableNamesLineAndField() throws {
        var files = Self.fixture().files()
        let text = String(decoding: files["timetable.csv"]!, as: UTF8.self)
        var gb = try #require(TextDecoder.encodeGB18030(text))
        // The first byte of the last row's teacher id.
        let lastRow = try #require(gb.lastIndex(of: 0x0A)) + 1
        gb[lastRow + "S1,R1,".utf8.count] = 0xFF
        files["timetable.csv"] = gb
        let expected = "timetable.csv:\(Self.lines): teacher_id: not valid UTF-8 or GB18030 text (byte offset \(lastRow + 6))"
        for (piece, window) in [(1, 16), (1 << 20, 1 << 20)] {
            #expect(Self.descriptions(Self.load(files, piece: piece, window: window)) == [expected])
        }
    }

    /// Every overlap of a room's or a teacher's lessons on one weekday, as a pairwise reading of the
    /// rule finds them: a lesson overlaps when it starts before the latest end of the lessons of its
    /// owner and day that start before it (or at the same time on an earlier line), and is reported
    /// on the later line of the two, beside the earliest of those lessons that ends latest.
    @Test func overlapsOfManyRoomsAndTeachersAreEveryPairwiseOverlap() {
        var random = CSVStreamTests.Bytes(state: 7)
        var f = RegistryFixture()
        struct Row {
            var line: Int
            var room: String
            var teacher: String
            var day: Int
            var start: TimeOfDay
            var end: TimeOfDay
        }
        var rows: [Row] = []
        for n in 0..<300 {
            let start = TimeOfDay(minutes: 8 * 60 + 10 * Int(random.next() % 40))
            let end = TimeOfDay(minutes: start.minutes + 20 + 10 * Int(random.next() % 5))
            rows.append(
                Row(
                    line: n + 2, room: ["R1", "R2", "R5"][Int(random.next() % 3)], teacher: ["T1", "T2"][Int(random.next() % 2)],
                    day: 1 + Int(random.next() % 3), start: start, end: end))
        }
        f.timetable =
            (["school_id,room_id,teacher_id,weekday,start,end,subject"]
            + rows.map { "S1,\($0.room),\($0.teacher),\($0.day),\($0.start),\($0.end),语文" }).joined(separator: "\n")
        func expected(_ owner: KeyPath<Row, String>, _ what: String) -> [String] {
            var found: [(Int, String)] = []
            for id in Set(rows.map { $0[keyPath: owner] }) {
                for day in 1...3 {
                    let group = rows.filter { $0[keyPath: owner] == id && $0.day == day }
                        .sorted { ($0.start, $0.line) < ($1.start, $1.line) }
                    for (p, b) in group.enumerated() where p > 0 {
                        let latestEnd = group[..<p].map(\.end).max()!
                        let a = group[..<p].first { $0.end == latestEnd }!
                        guard b.start < latestEnd else { continue }
                        let (first, second) = a.line < b.line ? (a, b) : (b, a)
                        found.append(
                            (
                                second.line,
                                "timetable.csv:\(second.line): \(what)_id: \(what) '\(id)' has overlapping lessons on weekday "
                                    + "\(day): \(a.start)–\(a.end) (line \(first.line)) and \(b.start)–\(b.end)"
                            ))
                    }
                }
            }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let problems = f.problems()
        let rooms = problems.filter { $0.contains(": room_id: ") }
        let teachers = problems.filter { $0.contains(": teacher_id: ") }
        #expect(rooms.count > 20 && teachers.count > 20)
        #expect(rooms + teachers == problems)
        // Problems on one line may come in another order than the oracle's; each kind is by line.
        #expect(rooms.sorted() == expected(\.room, "room").sorted())
        #expect(teachers.sorted() == expected(\.teacher, "teacher").sorted())
        func lines(_ p: [String]) -> [Int] { p.map { Int($0.split(separator: ":")[1])! } }
        #expect(lines(rooms) == lines(rooms).sorted())
        #expect(lines(teachers) == lines(teachers).sorted())
    }

    /// The lines of the lessons, kept as the changes of their offset, read back as appended.
    @Test func lessonLinesGiveBackEveryLine() {
        var random = CSVStreamTests.Bytes(state: 3)
        var lines = LessonLines()
        var appended: [Int] = []
        var line = 1
        for _ in 0..<5000 {
            // Mostly the next line; sometimes a row that spans lines or is skipped.
            line += random.next() % 8 == 0 ? 2 + Int(random.next() % 3) : 1
            lines.append(line)
            appended.append(line)
        }
        #expect(lines.count == appended.count)
        #expect((0..<appended.count).map { lines[$0] } == appended)
    }
}
