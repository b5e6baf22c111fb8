import ClassroomSamples
import Testing

@testable import ClassroomCore

/// The draw's rules over random counties: random sizes, random live-capable rooms, random counts.
@Suite struct SpotCheckPropertyTests {
    @Test(arguments: 1...8 as ClosedRange<UInt64>)
    func rulesHoldOnARandomCounty(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let registry = SampleCounty(schools: Int.random(in: 8...60, using: &random), seed: seed).generate()
        // A random third to all of the rooms have a working camera and microphone.
        let share = Double.random(in: 0.05...1, using: &random)
        let rooms = Set(registry.rooms.filter { _ in Double.random(in: 0..<1, using: &random) < share }.map(\.id))
        let count = Int.random(in: 1...25, using: &random)
        let snapshot = SpotCheckEligibility(week: SpotCheckFixtures.week, eligibleRooms: rooms).snapshot(of: registry)
        let teacherSchool = registry.teachersByID().mapValues(\.schoolID)
        let eligibleLessons = Set(
            registry.lessons.filter { rooms.contains($0.roomID) }.map {
                "\($0.teacherID) \($0.roomID) \($0.weekday) \($0.start) \($0.end) \($0.subject)"
            })
        let results = SpotCheckFixtures.simulate(snapshot, weeks: 30, count: count, beacon: "property \(seed)")

        var drawnInRound: [Int: Set<String>] = [:]
        var previousRound = 1
        for r in results {
            #expect(
                r.orders.count == min(count, snapshot.schoolCount), "\(r.week): \(count) wanted, \(snapshot.schoolCount) schools")
            #expect(r.shortfall == count - r.orders.count)
            #expect(Set(r.orders.map(\.schoolID)).count == r.orders.count, "two teachers of one school in \(r.week)")
            for o in r.orders {
                #expect(teacherSchool[o.teacherID] == o.schoolID)
                #expect(eligibleLessons.contains("\(o.teacherID) \(o.roomID) \(o.weekday) \(o.start) \(o.end) \(o.subject)"))
                #expect(
                    drawnInRound[o.round, default: []].insert(o.teacherID).inserted, "\(o.teacherID) twice in round \(o.round)")
                #expect(o.round == previousRound || o.round == previousRound + 1)
            }
            #expect(r.roundsAfter.round == previousRound + (r.newRoundStarted ? 1 : 0))
            previousRound = r.roundsAfter.round
        }
        // The same inputs give the same 30 weeks.
        #expect(SpotCheckFixtures.simulate(snapshot, weeks: 30, count: count, beacon: "property \(seed)") == results)
    }
}
