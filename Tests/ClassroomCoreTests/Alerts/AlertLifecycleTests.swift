import ClassroomCore
import Testing

/// The lifecycle with hysteresis, driven over many evaluations with the open alerts fed back the
/// way the store keeps them: raised once, closed once, and a flapping condition keeps one alert.
@Suite("Alert lifecycle")
struct AlertLifecycleTests {
    static let condition = AlertCondition(
        kind: .agentOffline, schoolID: "S1", deviceID: "d1", roomID: "R1", detail: "x", chineseDetail: "x")
    static let minute: Int64 = 60_000

    /// A store in miniature: applies plans, counts opens and closes.
    struct Book {
        var open: [String: OpenAlertState] = [:]
        var opened = 0
        var closed = 0

        mutating func apply(_ plan: AlertPlan, at now: Int64) {
            for c in plan.opens {
                open[c.key] = OpenAlertState(key: c.key)
                opened += 1
            }
            for c in plan.holds { open[c.key]?.clearSince = nil }
            for key in plan.clearing where open[key]?.clearSince == nil { open[key]?.clearSince = now }
            for key in plan.closes where open.removeValue(forKey: key) != nil { closed += 1 }
        }
    }

    static func run(_ truth: [Bool], every step: Int64 = 5 * minute, closeAfterSeconds: Int64 = 3600) -> Book {
        let lifecycle = AlertLifecycle(closeAfterSeconds: closeAfterSeconds)
        var book = Book()
        for (i, holds) in truth.enumerated() {
            let now = Int64(i) * step
            let plan = lifecycle.plan(open: Array(book.open.values), conditions: holds ? [condition] : [], now: now)
            book.apply(plan, at: now)
        }
        return book
    }

    @Test("a condition that holds for many evaluations is raised once")
    func raisedOnce() {
        let book = Self.run(Array(repeating: true, count: 50))
        #expect(book.opened == 1 && book.closed == 0 && book.open.count == 1)
    }

    @Test("closed once, only after the hold time of clear evaluations")
    func closedOnce() {
        // 5-minute evaluations, 1-hour hold: clear at evaluations 10…21 (55 min) keeps it open, the 13th clear one closes it.
        let short = Self.run(Array(repeating: true, count: 10) + Array(repeating: false, count: 12))
        #expect(short.opened == 1 && short.closed == 0)
        let long = Self.run(Array(repeating: true, count: 10) + Array(repeating: false, count: 40))
        #expect(long.opened == 1 && long.closed == 1 && long.open.isEmpty)
    }

    @Test("flapping every evaluation for 1000 evaluations: one alert, and one close once it settles")
    func flapping() {
        var truth: [Bool] = []
        for i in 0..<1000 { truth.append(i % 2 == 0) }
        let flapping = Self.run(truth)
        #expect(flapping.opened == 1 && flapping.closed == 0)
        // Irregular flapping, clear runs shorter than the hold, then steady.
        var irregular: [Bool] = []
        for i in 0..<300 { irregular += [true] + Array(repeating: false, count: i % 11) }
        let settled = Self.run(irregular + Array(repeating: false, count: 20))
        #expect(settled.opened == 1 && settled.closed == 1)
    }

    @Test("the plan's parts: open, hold, start clearing, close")
    func planParts() {
        let lifecycle = AlertLifecycle(closeAfterSeconds: 600)
        let other = AlertCondition(
            kind: .agentOutdated, schoolID: "S1", deviceID: "d1", roomID: nil, detail: "y", chineseDetail: "y")
        let plan = lifecycle.plan(
            open: [
                OpenAlertState(key: Self.condition.key), OpenAlertState(key: "agent_offline:device:d2"),
                OpenAlertState(key: "agent_offline:device:d3", clearSince: 0),
                OpenAlertState(key: "agent_offline:device:d4", clearSince: 500_000),
            ],
            conditions: [Self.condition, other, other], now: 600_000)
        #expect(plan.opens.map(\.key) == ["agent_outdated:device:d1"])
        #expect(plan.holds.map(\.key) == ["agent_offline:device:d1"])
        #expect(plan.clearing == ["agent_offline:device:d2"])
        #expect(plan.closes == ["agent_offline:device:d3"])
        // A zero hold closes at the first clear evaluation.
        let at0 = AlertLifecycle(closeAfterSeconds: 0).plan(open: [OpenAlertState(key: "k")], conditions: [], now: 5)
        #expect(at0.closes == ["k"] && at0.clearing == [])
    }
}
