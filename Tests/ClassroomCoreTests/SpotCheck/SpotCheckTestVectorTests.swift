import Testing

@testable import ClassroomCore

/// The worked example of docs/spotcheck-draw.md §7; docs/spotcheck-reference.py (Python, written
/// from the document) prints the same numbers.
@Suite struct SpotCheckTestVectorTests {
    static func lesson(_ room: String, _ day: Int, _ start: String, _ end: String, _ subject: String) -> SpotCheckLesson {
        SpotCheckLesson(
            roomID: room, weekday: day, start: TimeOfDay(parsing: start)!, end: TimeOfDay(parsing: end)!, subject: subject)
    }

    /// Given out of canonical order on purpose: the snapshot sorts.
    static let teachers = [
        SpotCheckTeacher(
            id: "T05", schoolID: "S3",
            lessons: [
                lesson("R3", 2, "10:00", "10:40", "音乐"), lesson("R3", 3, "11:00", "11:40", "美术"),
                lesson("R3", 4, "08:00", "08:40", "语文"),
            ]),
        SpotCheckTeacher(
            id: "T01", schoolID: "S1",
            lessons: [
                lesson("R1", 3, "10:00", "10:40", "数学"), lesson("R1", 1, "08:00", "08:40", "语文"),
            ]),
        SpotCheckTeacher(id: "T02", schoolID: "S1", lessons: [lesson("R1", 2, "09:00", "09:40", "英语")]),
        SpotCheckTeacher(
            id: "T03", schoolID: "S2",
            lessons: [
                lesson("R2", 1, "08:00", "08:40", "数学"), lesson("R2", 4, "14:30", "15:10", "科学"),
            ]),
        SpotCheckTeacher(id: "T04", schoolID: "S3", lessons: [lesson("R3", 5, "08:50", "09:30", "语文")]),
        SpotCheckTeacher(id: "T06", schoolID: "S4", lessons: [lesson("R4", 1, "14:00", "14:40", "体育")]),
    ]
    static let beacon = "2026-11-23 test beacon"
    static let salt: [UInt8] = Array(0..<32)

    @Test func generatorMatchesTheReferenceXoshiro256StarStar() {
        // Outputs of the reference C implementation (prng.di.unimi.it) from the state {1, 2, 3, 4}.
        var g = SeededGenerator(state: (1, 2, 3, 4))
        #expect((0..<4).map { _ in g.next() } == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    }

    @Test func weekOneExcludesTheTeacherAlreadyDrawn() throws {
        let snapshot = try SpotCheckSnapshot(teachers: Self.teachers)
        #expect(snapshot.teachers.map(\.id) == ["T01", "T02", "T03", "T04", "T05", "T06"])
        #expect(snapshot.teachers[0].lessons.map(\.weekday) == [1, 3])
        #expect(SpotCheckHex.encode(snapshot.digest) == "bf1048e1f85bdc228defd3a6ef39f219a2f99440cbf08f2a2aa888588e329253")

        let input = SpotCheckDrawInput(
            week: ISOWeek(year: 2026, week: 48), count: 3, beacon: Self.beacon, snapshot: snapshot,
            rounds: SpotCheckRoundState(round: 1, drawn: ["T04"]))
        let r = SpotCheckDraw.run(input)
        #expect(SpotCheckHex.encode(r.seed) == "a8b4206144e05daecd0856b1073f12afa583e5f50ef5a72b4ab3a6ae856c3b07")
        var random = SpotCheckRandom(seed: r.seed)
        #expect(
            (0..<3).map { _ in random.next() } == [
                4_296_028_475_231_592_832, 10_839_820_466_343_359_584, 7_819_272_171_058_224_374,
            ])
        #expect(r.orders.map(\.teacherID) == ["T02", "T05", "T06"])
        #expect(
            r.orders.map { "\($0.roomID) \($0.weekday) \($0.start)-\($0.end) \($0.subject)" } == [
                "R1 2 09:00-09:40 英语", "R3 3 11:00-11:40 美术", "R4 1 14:00-14:40 体育",
            ])
        #expect(r.orders.allSatisfy { $0.round == 1 } && !r.newRoundStarted && r.shortfall == 0)
        #expect(r.roundsAfter == SpotCheckRoundState(round: 1, drawn: ["T02", "T04", "T05", "T06"]))
        #expect(
            SpotCheckHex.encode(SpotCheckCommitment.commitment(of: r, salt: Self.salt))
                == "26e278ab4ac79d0eeb0adad41858389c42026b152d54ed6b2df2d0b04377ce9d")
    }

    @Test func weekTwoRollsIntoRoundTwo() throws {
        let snapshot = try SpotCheckSnapshot(teachers: Self.teachers)
        let input = SpotCheckDrawInput(
            week: ISOWeek(year: 2026, week: 49), count: 3, beacon: Self.beacon, snapshot: snapshot,
            rounds: SpotCheckRoundState(round: 1, drawn: ["T02", "T04", "T05", "T06"]))
        let r = SpotCheckDraw.run(input)
        #expect(SpotCheckHex.encode(r.seed) == "a6d90945dbaec891c2fcfa81c81cdd0ec02c47adfda55a2c51a2d85ee10cd083")
        #expect(r.orders.map(\.teacherID) == ["T01", "T03", "T06"])
        #expect(r.orders.map(\.round) == [1, 1, 2])
        #expect(r.orders.map { "\($0.roomID) \($0.weekday) \($0.start)" } == ["R1 1 08:00", "R2 4 14:30", "R4 1 14:00"])
        #expect(r.newRoundStarted && r.roundsAfter == SpotCheckRoundState(round: 2, drawn: ["T06"]))
        #expect(
            SpotCheckHex.encode(SpotCheckCommitment.commitment(of: r, salt: Self.salt))
                == "4cc029a645107cf3844cf797e13c7eae9ab05421bda8165d109213f8fc309839")
    }
}
