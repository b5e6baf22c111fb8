import ClassroomCore

/// Consecutive weekly draws on a fixed snapshot, with how long each round took: what a bureau wants
/// to know before it deploys anything (`classroomctl spotcheck simulate`).
public struct SpotCheckSimulation: Sendable {
    /// One round of the rotation as the simulation saw it.
    public struct Round: Codable, Sendable, Hashable {
        public var round: Int
        public var firstWeek: ISOWeek
        public var lastWeek: ISOWeek
        /// Weeks in which at least one teacher was drawn in this round.
        public var weeks: Int
        public var teachersDrawn: Int
        /// True when a later round started: the round could not fill a week any more.
        public var ended: Bool

        enum CodingKeys: String, CodingKey {
            case round, weeks, ended
            case firstWeek = "first_week"
            case lastWeek = "last_week"
            case teachersDrawn = "teachers_drawn"
        }
    }

    /// The snapshot of a full timetable week (every weekday a school day).
    public let snapshot: SpotCheckSnapshot
    public let count: Int
    /// The beacon of a week (simulations use one made from the simulation's seed).
    public let beacon: @Sendable (ISOWeek) -> String
    /// With a registry, each week's snapshot follows its calendar; without, every week uses `snapshot`.
    private let registry: Registry?
    private let eligibleRooms: Set<String>

    /// Every week drawn on the same snapshot.
    public init(snapshot: SpotCheckSnapshot, count: Int, beacon: @escaping @Sendable (ISOWeek) -> String) {
        self.snapshot = snapshot
        self.count = count
        self.beacon = beacon
        self.registry = nil
        self.eligibleRooms = []
    }

    /// Each week drawn on the lessons of its school days (``SpotCheckEligibility``); weeks without a
    /// school day are not drawn.
    public init(
        registry: Registry, eligibleRooms: Set<String>, count: Int, beacon: @escaping @Sendable (ISOWeek) -> String
    ) {
        var timetableWeek = registry
        timetableWeek.calendar = nil
        self.snapshot = SpotCheckEligibility(week: ISOWeek(year: 2026, week: 1), eligibleRooms: eligibleRooms).snapshot(
            of: timetableWeek)
        self.count = count
        self.beacon = beacon
        self.registry = registry
        self.eligibleRooms = eligibleRooms
    }

    /// Draws `weeks` weeks from `start`, each week's rotation feeding the next; `observe` sees each
    /// week's input and result as it is drawn (to time it, or to write its reveal), `skipped` each
    /// week without a school day, which is not drawn and leaves the rotation as it was.
    public func run(
        from start: ISOWeek, weeks: Int, rounds initial: SpotCheckRoundState = .initial,
        observe: (SpotCheckDrawInput, SpotCheckResult) throws -> Void = { _, _ in },
        skipped: (NoSchoolWeek) throws -> Void = { _ in }
    ) rethrows -> [SpotCheckResult] {
        var rounds = initial
        var week = start
        var results: [SpotCheckResult] = []
        // Most weeks run the plain timetable: a snapshot per distinct pattern of school days.
        var snapshots: [[[Int]]: SpotCheckSnapshot] = [:]
        for _ in 0..<max(0, weeks) {
            var snapshot = self.snapshot
            if let registry {
                let calendar = registry.schoolCalendar
                if let off = calendar.noSchool(in: week) {
                    try skipped(off)
                    week = week.next
                    continue
                }
                let pattern = SpotCheckEligibility.weekdaysRunning(in: week, calendar: calendar)
                if let known = snapshots[pattern] {
                    snapshot = known
                } else {
                    snapshot = SpotCheckEligibility(week: week, eligibleRooms: eligibleRooms).snapshot(of: registry)
                    snapshots[pattern] = snapshot
                }
            }
            let input = SpotCheckDrawInput(week: week, count: count, beacon: beacon(week), snapshot: snapshot, rounds: rounds)
            let result = SpotCheckDraw.run(input)
            try observe(input, result)
            results.append(result)
            rounds = result.roundsAfter
            week = week.next
        }
        return results
    }

    /// Round lengths over simulated weeks, in round order.
    public static func rounds(of results: [SpotCheckResult]) -> [Round] {
        var byRound: [Int: Round] = [:]
        var drawn: [Int: Set<String>] = [:]
        for r in results {
            for o in r.orders {
                drawn[o.round, default: []].insert(o.teacherID)
                if var known = byRound[o.round] {
                    if known.lastWeek != r.week { known.weeks += 1 }
                    known.lastWeek = r.week
                    byRound[o.round] = known
                } else {
                    byRound[o.round] = Round(
                        round: o.round, firstWeek: r.week, lastWeek: r.week, weeks: 1, teachersDrawn: 0, ended: false)
                }
            }
        }
        let last = byRound.keys.max() ?? 0
        return byRound.keys.sorted().map { k in
            var round = byRound[k]!
            round.teachersDrawn = drawn[k]?.count ?? 0
            round.ended = k < last
            return round
        }
    }
}
