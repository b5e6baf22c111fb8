import Foundation
import Testing

@testable import ClassroomCore

/// The reveal's own writer gives exactly the bytes of `JSONEncoder` (sorted keys, unescaped slashes),
/// for the strings a registry can hold, so what is stored and published does not change.
@Suite struct SpotCheckRevealJSONTests {
    static func encoderJSON(_ reveal: SpotCheckReveal) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(reveal), as: UTF8.self)
    }

    /// Every control character, quotes, backslashes, slashes, DEL, Chinese, an emoji, U+2028 and a
    /// beacon that spells the key the writer looks for.
    static let nasty: [String] = {
        var s = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }
        s += ["\"", "\\", "/", "\u{7F}", "语文", "🧑‍🏫", "\u{2028}", "a/b\\c\"d", #""snapshot":{"teachers":[]}"#, ""]
        return s
    }()

    @Test func aDrawsRevealIsWrittenAsJSONEncoderWritesIt() throws {
        let reveal = try SpotCheckVerifierTests.reveal()
        #expect(try reveal.encodedJSON() == Self.encoderJSON(reveal))
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func oddStringsInEveryFieldAreWrittenAsJSONEncoderWritesThem(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        func text() -> String {
            (0..<Int.random(in: 1...4, using: &g)).map { _ in Self.nasty.randomElement(using: &g)! }.joined()
        }
        let teachers = (0..<40).map { n in
            SpotCheckTeacher(
                id: "T\(n)" + text(), schoolID: text() + "S",
                lessons: (0..<Int.random(in: 1...4, using: &g)).map { k in
                    SpotCheckLesson(
                        roomID: text() + "R\(k)", weekday: Int.random(in: 1...7, using: &g),
                        start: TimeOfDay(minutes: Int.random(in: 0..<600, using: &g)),
                        end: TimeOfDay(minutes: Int.random(in: 600..<1439, using: &g)), subject: text())
                })
        }
        let snapshot = try SpotCheckSnapshot(teachers: teachers)
        let input = SpotCheckDrawInput(
            week: SpotCheckFixtures.week, count: 5, beacon: text() + #""snapshot":{"teachers":[]}"#, snapshot: snapshot,
            rounds: SpotCheckRoundState(round: 1, drawn: []))
        let reveal = SpotCheckReveal(input: input, result: SpotCheckDraw.run(input), salt: SpotCheckCommitment.salt(using: &g))
        let mine = try reveal.encodedJSON()
        #expect(mine == (try Self.encoderJSON(reveal)))
        // And it reads back as the same reveal.
        #expect(try JSONDecoder().decode(SpotCheckReveal.self, from: Data(mine.utf8)) == reveal)
    }

    /// The snapshot written in parts at once (``SpotCheckReveal/encodedJSON(parts:)``) is the same bytes
    /// for any number of parts and teachers, including more parts than teachers and teachers whose
    /// strings must be escaped at a part's edge.
    @Test(arguments: [0, 1, 2, 3, 7, 41])
    func theSnapshotWrittenInPartsIsWrittenAsJSONEncoderWritesIt(teachers count: Int) throws {
        var g = SeededGenerator(seed: UInt64(count) + 11)
        func text() -> String {
            (0..<Int.random(in: 0...3, using: &g)).map { _ in Self.nasty.randomElement(using: &g)! }.joined()
        }
        let teachers = (0..<count).map { n in
            SpotCheckTeacher(
                id: "T\(n)" + text(), schoolID: "S" + text(),
                lessons: (0..<Int.random(in: 1...5, using: &g)).map { k in
                    SpotCheckLesson(
                        roomID: "R\(k)" + text(), weekday: Int.random(in: 1...7, using: &g),
                        start: TimeOfDay(minutes: Int.random(in: 0..<720, using: &g)),
                        end: TimeOfDay(minutes: Int.random(in: 720..<1440, using: &g)), subject: text())
                })
        }
        let input = SpotCheckDrawInput(
            week: SpotCheckFixtures.week, count: 3, beacon: text(), snapshot: try SpotCheckSnapshot(teachers: teachers),
            rounds: SpotCheckRoundState(round: 1, drawn: []))
        let reveal = SpotCheckReveal(input: input, result: SpotCheckDraw.run(input), salt: SpotCheckCommitment.salt(using: &g))
        let expected = try Self.encoderJSON(reveal)
        for parts in 1...6 {
            #expect(try reveal.encodedJSON(parts: parts) == expected, "\(count) teachers in \(parts) parts")
        }
    }

    @Test func aProvinceSnapshotIsWrittenInPartsAndASmallOneInOne() {
        #expect(SpotCheckReveal.partCount(teachers: 0) == 1)
        #expect(SpotCheckReveal.partCount(teachers: 39_999) == 1)
        #expect(SpotCheckReveal.partCount(teachers: 40_000) == 2)
        #expect(SpotCheckReveal.partCount(teachers: 262_401) == 4)
    }

    @Test func aSnapshotWithoutTeachersIsWrittenAsJSONEncoderWritesIt() throws {
        let input = SpotCheckDrawInput(
            week: SpotCheckFixtures.week, count: 3, beacon: "", snapshot: try SpotCheckSnapshot(teachers: []),
            rounds: SpotCheckRoundState(round: 1, drawn: []))
        var g = SeededGenerator(seed: 7)
        let reveal = SpotCheckReveal(input: input, result: SpotCheckDraw.run(input), salt: SpotCheckCommitment.salt(using: &g))
        #expect(try reveal.encodedJSON() == Self.encoderJSON(reveal))
    }
}
