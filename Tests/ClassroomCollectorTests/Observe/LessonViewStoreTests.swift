import ClassroomCore
import Testing

@testable import ClassroomCollector

/// The view log on both stores: requests within the idle gap extend one view, a pause starts a new
/// one with its own audit entry, and the queries count and filter what was stored.
@Suite("Lesson view log")
struct LessonViewStoreTests {
    static func start(_ viewer: String, order: String = "o1", school: String = "S1", mode: LessonViewMode = .live)
        -> LessonViewStart
    {
        LessonViewStart(
            orderID: order, viewer: "user:\(viewer)", viewerName: viewer, viewerRole: .observer, viewerSchoolID: nil,
            schoolID: school, roomID: "R1", mode: mode)
    }

    static func audit(_ at: Int64) -> AuditEntry {
        AuditEntry(at: at, actor: "user:x", action: "lesson.view", target: "spotcheck_order:o1", schoolID: "S1", detail: "")
    }

    @Test("requests within the idle gap extend one view; after a pause a new view starts", arguments: StoreKind.allCases)
    func extendAndRestart(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let first = try await store.touchLessonView(
                Self.start("ann"), at: 1_000, idleMillis: 30_000, audit: Self.audit(1_000))
            let same = try await store.touchLessonView(
                Self.start("ann"), at: 20_000, idleMillis: 30_000, audit: Self.audit(20_000))
            #expect(same.id == first.id)
            #expect(same.startedAt == 1_000 && same.lastSeenAt == 20_000)
            // A late request (out of order) does not move the end back.
            let late = try await store.touchLessonView(
                Self.start("ann"), at: 15_000, idleMillis: 30_000, audit: Self.audit(15_000))
            #expect(late.lastSeenAt == 20_000)
            // 31 s of silence: a new view.
            let again = try await store.touchLessonView(
                Self.start("ann"), at: 51_001, idleMillis: 30_000, audit: Self.audit(51_001))
            #expect(again.id != first.id)
            // Another mode of the same lesson is another view.
            let rec = try await store.touchLessonView(
                Self.start("ann", mode: .recording), at: 52_000, idleMillis: 30_000, audit: Self.audit(52_000))
            #expect(rec.id != again.id)

            let views = try await store.lessonViews(orderID: "o1")
            #expect(views.map(\.startedAt) == [1_000, 51_001, 52_000])
            #expect(views[0].durationMillis == 19_000)
            #expect(views[0].start == Self.start("ann"))
            // One audit entry per view started, none per extension.
            let audit = try await store.auditLog(filter: AuditFilter(), limit: 100, offset: 0)
            #expect(audit.filter { $0.action == "lesson.view" }.count == 3)
        }
    }

    @Test("active viewers, and views by start time and school", arguments: StoreKind.allCases)
    func queries(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.touchLessonView(Self.start("ann"), at: 1_000, idleMillis: 30_000, audit: Self.audit(1_000))
            _ = try await store.touchLessonView(Self.start("bob"), at: 2_000, idleMillis: 30_000, audit: Self.audit(2_000))
            _ = try await store.touchLessonView(Self.start("bob"), at: 40_000, idleMillis: 30_000, audit: Self.audit(40_000))
            _ = try await store.touchLessonView(
                Self.start("cy", order: "o2", school: "S2"), at: 3_000, idleMillis: 30_000, audit: Self.audit(3_000))
            #expect(try await store.activeLessonViewers(orderID: "o1", since: 0) == 2)
            #expect(try await store.activeLessonViewers(orderID: "o1", since: 30_000) == 1)
            #expect(try await store.activeLessonViewers(orderID: "o1", since: 40_001) == 0)
            #expect(try await store.activeLessonViewers(orderID: "nope", since: 0) == 0)
            let all = try await store.lessonViews(startedFrom: 0, through: 100_000, schoolID: nil)
            #expect(all.count == 4)
            let s2 = try await store.lessonViews(startedFrom: 0, through: 100_000, schoolID: "S2")
            #expect(s2.map(\.start.viewerName) == ["cy"])
            let early = try await store.lessonViews(startedFrom: 0, through: 2_500, schoolID: nil)
            #expect(early.map(\.start.viewerName) == ["ann", "bob"])
        }
    }
}
