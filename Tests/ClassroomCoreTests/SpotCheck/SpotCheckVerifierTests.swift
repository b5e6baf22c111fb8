import Foundation
import Testing

@testable import ClassroomCore

@Suite struct SpotCheckVerifierTests {
    static func reveal() throws -> SpotCheckReveal {
        let snapshot = try SpotCheckFixtures.snapshot(teachersPerSchool: [3, 1, 2, 2, 1, 4])
        let input = SpotCheckDrawInput(
            week: SpotCheckFixtures.week, count: 4, beacon: "beacon", snapshot: snapshot,
            rounds: SpotCheckRoundState(round: 3, drawn: ["T0-0", "T2-1", "gone"]))
        var g = SeededGenerator(seed: 99)
        return SpotCheckReveal(input: input, result: SpotCheckDraw.run(input), salt: SpotCheckCommitment.salt(using: &g))
    }

    @Test func anHonestRevealVerifiesAfterAJSONRoundTrip() throws {
        let reveal = try Self.reveal()
        let data = try JSONEncoder().encode(reveal)
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(json.keys).isSuperset(of: ["week", "beacon", "snapshot", "orders", "salt", "commitment", "rounds_before"]))
        let decoded = try JSONDecoder().decode(SpotCheckReveal.self, from: data)
        #expect(decoded == reveal)
        let result = try SpotCheckVerifier.verify(decoded)
        #expect(result.orders == reveal.orders)
        #expect(result.orders.count == 4)
    }

    /// One way to alter a published reveal, and the field the verifier must name for it.
    enum Tamper: String, CaseIterable, Sendable {
        case orderRoom, orderTeacher, orderStart, orderSubject, orderRemoved, beacon, week, roundsBefore, count
        case lessonSubject, teacherSchool, shortfall, newRound, roundAfter, drawnAfter, salt, commitment

        var field: String {
            switch self {
            case .orderRoom: "orders[1].room_id"
            case .orderTeacher: "orders[0].teacher_id"
            case .orderStart: "orders[2].start"
            case .orderSubject: "orders[3].subject"
            case .orderRemoved: "orders (count)"
            case .beacon, .week, .roundsBefore, .count: "seed"
            case .lessonSubject, .teacherSchool: "snapshot_digest"
            case .shortfall: "shortfall"
            case .newRound: "new_round_started"
            case .roundAfter: "rounds_after.round"
            case .drawnAfter: "rounds_after.drawn (count)"
            case .salt, .commitment: "commitment"
            }
        }

        func apply(_ r: inout SpotCheckReveal) {
            switch self {
            case .orderRoom: r.orders[1].roomID += "x"
            case .orderTeacher: r.orders[0].teacherID = "T9-9"
            case .orderStart: r.orders[2].start = TimeOfDay(hour: 23, minute: 0)
            case .orderSubject: r.orders[3].subject = "体育"
            case .orderRemoved: r.orders.removeLast()
            case .beacon: r.beacon = "another beacon"
            case .week: r.week = r.week.next
            case .roundsBefore: r.roundsBefore.drawn.remove("gone")
            case .count: r.count = 5
            case .lessonSubject: r.snapshot.teachers[0].lessons[0].subject = "物理"
            case .teacherSchool: r.snapshot.teachers[4].schoolID = "S0"
            case .shortfall: r.shortfall = 1
            case .newRound: r.newRoundStarted.toggle()
            case .roundAfter: r.roundsAfter.round += 1
            case .drawnAfter: r.roundsAfter.drawn.insert("zzz")
            case .salt: r.salt = String(repeating: "ab", count: 32)
            case .commitment: r.commitment = String(repeating: "0", count: 64)
            }
        }
    }

    @Test(arguments: Tamper.allCases)
    func anAlteredFieldIsTheFirstDifference(tamper: Tamper) throws {
        var reveal = try Self.reveal()
        tamper.apply(&reveal)
        let error = #expect(throws: SpotCheckDifference.self) { try SpotCheckVerifier.verify(reveal) }
        #expect(error?.field == tamper.field, "\(String(describing: error))")
        #expect(error?.description.contains("the reveal says") == true)
    }

    @Test func inconsistentInputsAreNamed() throws {
        var reveal = try Self.reveal()
        reveal.snapshot.teachers.append(reveal.snapshot.teachers[0])
        #expect(throws: SpotCheckInputError("snapshot.teachers[T0-0]: teacher_id appears twice")) {
            try SpotCheckVerifier.verify(reveal)
        }
        reveal = try Self.reveal()
        reveal.snapshot.teachers[1].lessons[0].weekday = 8
        #expect(throws: SpotCheckInputError.self) { try SpotCheckVerifier.verify(reveal) }
        reveal = try Self.reveal()
        reveal.salt = "zz"
        #expect(throws: SpotCheckInputError("salt: not 32 bytes of hex")) { try SpotCheckVerifier.verify(reveal) }
        reveal = try Self.reveal()
        reveal.format = "something-else/2"
        #expect(throws: SpotCheckInputError.self) { try SpotCheckVerifier.verify(reveal) }
        reveal = try Self.reveal()
        reveal.snapshot.teachers[2].lessons = []
        #expect(throws: SpotCheckInputError.self) { try SpotCheckVerifier.verify(reveal) }
    }

    @Test func malformedRoundStateIsRejectedWhenDecoding() throws {
        let bad = Data(#"{"round": 0, "drawn": []}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SpotCheckRoundState.self, from: bad) }
        let twice = Data(#"{"round": 2, "drawn": ["T1", "T1"]}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SpotCheckRoundState.self, from: twice) }
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        let bytes: [UInt8] = [0, 1, 0xAB, 0xFF]
        #expect(SpotCheckHex.encode(bytes) == "0001abff")
        #expect(SpotCheckHex.decode("0001ABff") == bytes)
        #expect(SpotCheckHex.decode("abc") == nil)
        #expect(SpotCheckHex.decode("0g") == nil)
    }
}
