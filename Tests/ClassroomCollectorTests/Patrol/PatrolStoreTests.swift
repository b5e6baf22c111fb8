import ClassroomCore
import Foundation
import Testing

@testable import ClassroomCollector

/// The patrol table on both stores: one open patrol per room (a second opener joins), a patrol left
/// open past its lesson is closed by the next opening, ends are recorded once with their audit entry.
@Suite("Patrol store")
struct PatrolStoreTests {
    static func order(_ id: String, room: String = "R2", school: String = "S1", start: Int64, end: Int64)
        -> SpotCheckOrderRecord
    {
        SpotCheckOrderRecord(
            id: id, week: "2026-W40", source: PatrolOrders.source, position: 0, round: 0, teacherID: "T2",
            teacherName: "李娜", schoolID: school, roomID: room, weekday: 2, startMinute: 600, endMinute: 640,
            subject: "英语", lessonStart: start, lessonEnd: end, createdAt: start)
    }

    static func audit(_ action: String, _ at: Int64) -> AuditEntry {
        AuditEntry(at: at, actor: "user:zhang", action: action, target: "t", schoolID: "S1", detail: "d")
    }

    @Test("open, join, end once, reopen after the end; stale patrols are closed", arguments: StoreKind.allCases)
    func lifecycle(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await CollectorHarness.make(store)
            let start: Int64 = 1_790_000_000_000
            let end = start + 2_400_000
            let first = try await store.openPatrol(
                Self.order("patrol-a", start: start, end: end), openedBy: "user:zhang", at: start + 60_000,
                audit: Self.audit("patrol.open", start + 60_000))
            guard case .opened(let opened) = first else { throw TestFailure("expected opened: \(first)") }
            #expect(opened.orderID == "patrol-a" && opened.openedAt == start + 60_000 && opened.endedAt == nil)
            #expect(try await store.spotCheckOrder(id: "patrol-a")?.source == "patrol")
            let second = try await store.openPatrol(
                Self.order("patrol-b", start: start, end: end), openedBy: "user:li", at: start + 70_000,
                audit: Self.audit("patrol.open", start + 70_000))
            #expect(second == .joined(opened))
            #expect(try await store.spotCheckOrder(id: "patrol-b") == nil, "a joined order is not stored")
            let other = try await store.openPatrol(
                Self.order("patrol-c", room: "R1", start: start, end: end), openedBy: "user:li", at: start + 70_000,
                audit: Self.audit("patrol.open", start + 70_000))
            guard case .opened = other else { throw TestFailure("another room opens its own: \(other)") }
            #expect(try await store.openPatrols().map(\.orderID) == ["patrol-a", "patrol-c"])

            #expect(
                try await store.endPatrol(
                    orderID: "patrol-a", at: start + 120_000, reason: .noViewers, audit: Self.audit("patrol.end", start + 120_000)
                ))
            #expect(
                !(try await store.endPatrol(
                    orderID: "patrol-a", at: start + 130_000, reason: .lessonOver,
                    audit: Self.audit("patrol.end", start + 130_000))))
            #expect(
                !(try await store.endPatrol(
                    orderID: "nope", at: start + 130_000, reason: .lessonOver, audit: Self.audit("patrol.end", start + 130_000))))
            let ended = try #require(try await store.patrol(orderID: "patrol-a"))
            #expect(ended.endedAt == start + 120_000 && ended.endReason == .noViewers)
            #expect(try await store.auditLog(schoolID: "S1", limit: 20).filter { $0.action == "patrol.end" }.count == 1)

            let reopened = try await store.openPatrol(
                Self.order("patrol-d", start: start, end: end), openedBy: "user:li", at: start + 200_000,
                audit: Self.audit("patrol.open", start + 200_000))
            guard case .opened = reopened else { throw TestFailure("reopen after the end: \(reopened)") }

            // Next lesson of R1: patrol-c was never ended; opening closes it as lesson_over and opens anew.
            let next = try await store.openPatrol(
                Self.order("patrol-e", room: "R1", start: end + 600_000, end: end + 3_000_000), openedBy: "user:li",
                at: end + 700_000, audit: Self.audit("patrol.open", end + 700_000))
            guard case .opened = next else { throw TestFailure("a stale patrol does not block: \(next)") }
            let stale = try #require(try await store.patrol(orderID: "patrol-c"))
            #expect(stale.endReason == .lessonOver && stale.endedAt == end)

            let recent = try await store.patrols(openedFrom: start, through: end + 700_000, schoolID: "S1")
            #expect(recent.map(\.orderID) == ["patrol-e", "patrol-d", "patrol-c", "patrol-a"])
            #expect(try await store.patrols(openedFrom: start, through: end + 700_000, schoolID: "S2").isEmpty)
        }
    }

    @Test("two viewers opening the same room at once get one patrol", arguments: StoreKind.allCases)
    func concurrentOpen(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await CollectorHarness.make(store)
            let start: Int64 = 1_790_000_000_000
            let results = try await withThrowingTaskGroup(of: PatrolOpening.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        try await store.openPatrol(
                            Self.order("patrol-\(i)", start: start, end: start + 2_400_000), openedBy: "user:\(i)",
                            at: start + 1_000, audit: Self.audit("patrol.open", start + 1_000))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let opened = results.filter { if case .opened = $0 { true } else { false } }
            #expect(opened.count == 1, "\(results)")
            #expect(try await store.openPatrols().count == 1)
        }
    }
}
