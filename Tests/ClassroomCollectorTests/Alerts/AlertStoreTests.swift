import ClassroomCore
import Testing

@testable import ClassroomCollector

/// The alerts' tables on both stores: a plan opens, holds, clears and closes; one notification per
/// channel per opening and closing; the outbox hands out what is due and records each outcome.
@Suite("Alert store")
struct AlertStoreTests {
    static func condition(_ kind: AlertKind, device: String, school: String = "S1", detail: String = "d") -> AlertCondition {
        AlertCondition(kind: kind, schoolID: school, deviceID: device, roomID: "R1", detail: detail, chineseDetail: "详情")
    }

    @Test("open, hold, clear, close; listings by state and school; notifications per channel", arguments: StoreKind.allCases)
    func lifecycle(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var plan = AlertPlan()
            plan.opens = [
                Self.condition(.agentOffline, device: "d1"), Self.condition(.agentOutdated, device: "d3", school: "S2"),
            ]
            let first = try await store.applyAlertPlan(plan, channels: [.wecom, .email], at: 1_000)
            #expect(first.opened.map(\.key) == ["agent_offline:device:d1", "agent_outdated:device:d3"])
            #expect(first.opened[0].openedAt == 1_000 && first.opened[0].lastTrueAt == 1_000 && first.opened[0].isOpen)
            #expect(try await store.openAlertStates().map(\.key) == ["agent_offline:device:d1", "agent_outdated:device:d3"])

            // The same key is never open twice: a second open of it (another collector's evaluation) is skipped, unnotified.
            var again = AlertPlan()
            again.opens = [Self.condition(.agentOffline, device: "d1"), Self.condition(.agentOffline, device: "d2")]
            #expect(
                try await store.applyAlertPlan(again, channels: [.wecom], at: 1_500).opened.map(\.key) == [
                    "agent_offline:device:d2"
                ])
            var close2 = AlertPlan()
            close2.closes = ["agent_offline:device:d2"]
            #expect(try await store.applyAlertPlan(close2, channels: [], at: 1_600).closed.count == 1)

            var hold = AlertPlan()
            hold.holds = [Self.condition(.agentOffline, device: "d1", detail: "newer figures")]
            hold.clearing = ["agent_outdated:device:d3"]
            #expect(try await store.applyAlertPlan(hold, channels: [.wecom, .email], at: 2_000) == AlertPlanOutcome())
            let states = try await store.openAlertStates()
            #expect(
                states == [
                    OpenAlertState(key: "agent_offline:device:d1"),
                    OpenAlertState(key: "agent_outdated:device:d3", clearSince: 2_000),
                ])
            let d1 = try #require(try await store.alerts(AlertQuery(state: .open, schoolID: "S1")).first)
            #expect(d1.detail == "newer figures" && d1.lastTrueAt == 2_000)

            var close = AlertPlan()
            close.closes = ["agent_outdated:device:d3", "no-such-key"]
            let closed = try await store.applyAlertPlan(close, channels: [.wecom, .email], at: 3_000)
            #expect(closed.closed.map(\.key) == ["agent_outdated:device:d3"] && closed.closed[0].closedAt == 3_000)
            #expect(
                try await store.alerts(AlertQuery(state: .closed)).map(\.key) == [
                    "agent_offline:device:d2", "agent_outdated:device:d3",
                ])
            #expect(try await store.alerts(AlertQuery(state: .all)).count == 3)
            #expect(try await store.alerts(AlertQuery(state: .all, schoolID: "S2")).map(\.schoolID) == ["S2"])
            // Once closed the key may open again: a new alert.
            var reopen = AlertPlan()
            reopen.opens = [Self.condition(.agentOutdated, device: "d3", school: "S2")]
            let reopened = try await store.applyAlertPlan(reopen, channels: [], at: 4_000)
            #expect(reopened.opened.count == 1 && reopened.opened[0].id != closed.closed[0].id)

            // d1 and d3 opened and d3 closed, on two channels: 6 notifications, and d2's opening on wecom;
            // none for the reopen (no channel then).
            let queued = try await store.dueAlertNotifications(channels: [.wecom], at: 10_000, limit: 10)
            #expect(queued.map(\.alert.key).filter { $0 == "agent_offline:device:d1" }.count == 1)
            let wecom = queued.filter { $0.alert.key != "agent_offline:device:d2" }
            #expect(wecom.map(\.transition) == [.opened, .opened, .closed])
            #expect(
                wecom.map(\.alert.key) == ["agent_offline:device:d1", "agent_outdated:device:d3", "agent_outdated:device:d3"])
            #expect(try await store.dueAlertNotifications(channels: [.wecom, .email], at: 10_000, limit: 10).count == 7)
            #expect(try await store.dueAlertNotifications(channels: [], at: 10_000, limit: 10).isEmpty)
            // Not due before it was queued.
            #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 999, limit: 10).isEmpty)

            try await store.recordAlertDelivery(id: wecom[0].id, outcome: .delivered, at: 11_000)
            try await store.recordAlertDelivery(id: wecom[1].id, outcome: .retry(next: 20_000, error: "HTTP 500"), at: 11_000)
            try await store.recordAlertDelivery(id: wecom[2].id, outcome: .gaveUp(error: "errcode 45009"), at: 11_000)
            for n in queued where n.alert.key == "agent_offline:device:d2" {
                try await store.recordAlertDelivery(id: n.id, outcome: .delivered, at: 11_000)
            }
            #expect(try await store.dueAlertNotifications(channels: [.wecom], at: 19_999, limit: 10).isEmpty)
            let retried = try await store.dueAlertNotifications(channels: [.wecom], at: 20_000, limit: 10)
            #expect(retried.map(\.id) == [wecom[1].id] && retried[0].attempts == 1)
        }
    }
}

extension AlertStoreTests {
    @Test("the migration is registered once, after the school resources, with its partial unique index")
    func migration() {
        let names = CollectorSchema.migrations.map(\.name)
        #expect(names.filter { $0 == "v570-alerts" }.count == 1)
        #expect(names.firstIndex(of: "v570-alerts")! > names.firstIndex(of: "v550-school-resources")!)
        #expect(
            AlertSchema.migration.statements.contains(
                "CREATE UNIQUE INDEX alerts_open_key ON alerts (alert_key) WHERE closed_at IS NULL"))
    }
}

extension AlertStoreTests {
    @Test(
        "a claimed notification is handed out once until its lease ends, even to claims at the same time",
        arguments: StoreKind.allCases)
    func claims(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var plan = AlertPlan()
            plan.opens = (1...30).map { Self.condition(.agentOffline, device: "d\($0)") }
            _ = try await store.applyAlertPlan(plan, channels: [.wecom, .email], at: 1_000)
            let first = try await store.claimAlertNotifications(channels: [.wecom], at: 2_000, limit: 10, leaseUntil: 50_000)
            #expect(first.count == 10 && first.allSatisfy { $0.channel == .wecom && $0.attempts == 0 })
            // Four claims at once take the other 20 between them, none twice.
            let concurrent = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await store.claimAlertNotifications(channels: [.wecom], at: 2_000, limit: 10, leaseUntil: 50_000).map(
                            \.id)
                    }
                }
                return try await group.reduce([], +)
            }
            #expect(concurrent.count == 20 && Set(concurrent).count == 20 && Set(concurrent).isDisjoint(with: first.map(\.id)))
            #expect(
                try await store.claimAlertNotifications(channels: [.wecom], at: 49_999, limit: 100, leaseUntil: 90_000).isEmpty)
            // Delivered ones never come back; the others do once the lease is over.
            for n in first { try await store.recordAlertDelivery(id: n.id, outcome: .delivered, at: 3_000) }
            #expect(
                try await store.claimAlertNotifications(channels: [.wecom], at: 50_000, limit: 100, leaseUntil: 90_000).count
                    == 20)
            #expect(try await store.claimAlertNotifications(channels: [.email], at: 2_000, limit: 0, leaseUntil: 90_000).isEmpty)
            #expect(
                try await store.claimAlertNotifications(channels: [.email], at: 2_000, limit: 100, leaseUntil: 90_000).count == 30
            )
        }
    }
}
