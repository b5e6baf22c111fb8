import ClassroomSamples

@testable import ClassroomCore

/// Small hand-made counties for the draw tests.
enum SpotCheckFixtures {
    static let week = ISOWeek(year: 2026, week: 48)

    /// `teachers[s]` teachers in school `S<s>`, each with `lessons` lessons in the school's room.
    static func snapshot(teachersPerSchool: [Int], lessons: Int = 3) throws -> SpotCheckSnapshot {
        var teachers: [SpotCheckTeacher] = []
        for (s, n) in teachersPerSchool.enumerated() {
            for t in 0..<n {
                let ls = (0..<lessons).map { k in
                    SpotCheckLesson(
                        roomID: "R\(s)-\(k % 2)", weekday: 1 + (t + k) % 5, start: TimeOfDay(hour: 8 + k, minute: 0),
                        end: TimeOfDay(hour: 8 + k, minute: 40), subject: k % 2 == 0 ? "语文" : "数学")
                }
                teachers.append(SpotCheckTeacher(id: "T\(s)-\(t)", schoolID: "S\(s)", lessons: ls))
            }
        }
        return try SpotCheckSnapshot(teachers: teachers)
    }

    /// Runs `weeks` consecutive draws from round 1, feeding each week's rotation into the next.
    static func simulate(
        _ snapshot: SpotCheckSnapshot, weeks: Int, count: Int = 20, beacon: String = "test"
    ) -> [SpotCheckResult] {
        var rounds = SpotCheckRoundState.initial
        var week = Self.week
        var results: [SpotCheckResult] = []
        for _ in 0..<weeks {
            let r = SpotCheckDraw.run(
                SpotCheckDrawInput(week: week, count: count, beacon: beacon, snapshot: snapshot, rounds: rounds))
            results.append(r)
            rounds = r.roundsAfter
            week = week.next
        }
        return results
    }

    /// The sample county with its recording rooms (or every room) eligible.
    static func sample(schools: Int, seed: UInt64, allRooms: Bool) -> (Registry, Set<String>, SpotCheckSnapshot) {
        let registry = SampleCounty(schools: schools, seed: seed).generate()
        let rooms =
            allRooms ? SpotCheckEligibility.allRooms(of: registry) : SpotCheckEligibility.recordingRooms(of: registry)
        return (registry, rooms, SpotCheckEligibility(week: week, eligibleRooms: rooms).snapshot(of: registry))
    }
}
