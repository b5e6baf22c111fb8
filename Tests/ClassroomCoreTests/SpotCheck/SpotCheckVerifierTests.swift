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

    /// Each altered field is caught, and named.
    @Test(arguments: [
        ("orders[1].room_id", { (r: inout SpotCheckReveal) in r.orders[1].roomID += "x" }),
        ("orders[0].teacher_id", { (r: inout SpotCheckReveal) in r.orders[0].teacherID = "T9-9" }),
        ("orders[2].start", { (r: inout SpotCheckReveal) in r.orders[2].start = TimeOfDay(hour: 23, minute: 0) }),
        ("orders[3].subject", { (r: inout SpotCheckReveal) in r.orders[3].subject = "体育" }),
        ("orders (count)", { (r: inout SpotCheckReveal) in r.orders.removeLast() }),
        ("seed", { (r: inout SpotCheckReveal) in r.beacon = "another beacon" }),
        ("seed", { (r: inout SpotCheckReveal) in r.week = r.week.next }),
        ("seed", { (r: inout SpotCheckReveal) in r.roundsBefore.drawn.remove("gone") }),
        ("seed", { (r: inout SpotCheckReveal) in r.count = 5 }),
        ("snapshot_digest", { (r: inout SpotCheckReveal) in r.snapshot.teachers[0].lessons[0].subject = "物理" }),
        ("snapshot_digest", { (r: inout SpotCheckReveal) in r.snapshot.teachers[4].schoolID = "S0" }),
        ("shortfall", { (r: inout SpotCheckReveal) in r.shortfall = 1 }),
        ("new_round_started", { (r: inout SpotCheckReveal) in r.newRoundStarted.toggle() }),
        ("rounds_after.round", { (r: inout SpotCheckReveal) in r.roundsAfter.round += 1 }),
        ("rounds_after.drawn (count)", { (r: inout SpotCheckReveal) in r.roundsAfter.drawn.insert("zzz") }),
        ("commitment", { (r: inout SpotCheckReveal) in r.salt = String(repeating: "ab", count: 32) }),
        ("commitment", { (r: inout SpotCheckReveal) in r.commitment = String(repeating: "0", count: 64) }),
    ] as [(String, @Sendable (inout SpotCheckReveal) -> Void)])
    func anAlteredFieldIsTheFirstDifference(field: String, alter: @Sendable (inout SpotCheckReveal) -> Void) throws {
        var reveal = try Self.reveal()
        alter(&reveal)
        let error = #expect(throws: SpotCheckDifference.self) { try SpotCheckVerifier.verify(reveal) }
        #expect(error?.field == field, "\(String(describing: error))")
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
