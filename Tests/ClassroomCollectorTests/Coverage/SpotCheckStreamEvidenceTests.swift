import ClassroomCollector
import ClassroomCore
import Testing

/// The recording-classroom indicator's streams come from the media server's publish records.
@Suite("Coverage: successful streams from spot-check publish records")
struct SpotCheckStreamEvidenceTests {
    static let lessonStart: Int64 = 1_790_553_600_000  // 2026-09-28 08:00 +08:00 (W40, Monday)
    static let lessonEnd: Int64 = lessonStart + 40 * 60_000

    static func order(_ id: String, room: String) -> SpotCheckOrderRecord {
        SpotCheckOrderRecord(
            id: id, week: "2026-W40", source: "draw", position: 0, round: 1, teacherID: "T1", teacherName: "张伟",
            schoolID: "S1", roomID: room, weekday: 1, startMinute: 480, endMinute: 520, subject: "语文",
            lessonStart: lessonStart, lessonEnd: lessonEnd, createdAt: lessonStart - 86_400_000)
    }

    @Test("a full stream counts for its room, a short one does not, and only inside the window", arguments: StoreKind.allCases)
    func streams(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let audit = AuditEntry(at: 0, actor: "test", action: "spotcheck.order", target: "", schoolID: "S1", detail: "")
            try await store.insertSpotCheckOrder(Self.order("o-full", room: "R1"), audit: audit)
            try await store.insertSpotCheckOrder(Self.order("o-short", room: "R2"), audit: audit)
            try await store.insertSpotCheckOrder(Self.order("o-never", room: "R3"), audit: audit)
            #expect(try await store.startSpotCheckPublish(orderID: "o-full", at: Self.lessonStart + 30_000, addr: "127.0.0.1"))
            #expect(try await store.endSpotCheckPublish(orderID: "o-full", at: Self.lessonEnd))
            #expect(try await store.startSpotCheckPublish(orderID: "o-short", at: Self.lessonStart, addr: "127.0.0.1"))
            #expect(try await store.endSpotCheckPublish(orderID: "o-short", at: Self.lessonStart + 5 * 60_000))

            let source = SpotCheckStreamEvidence(store: store, minimumStreamedFraction: 0.8)
            let week = try await source.lastSuccessfulStreams(
                from: Self.lessonStart - 7 * 86_400_000, through: Self.lessonStart + 86_400_000)
            #expect(week == ["R1": Self.lessonEnd])
            // A window that ends before the stream started sees nothing.
            let before = try await source.lastSuccessfulStreams(
                from: Self.lessonStart - 7 * 86_400_000, through: Self.lessonStart - 1)
            #expect(before.isEmpty)
        }
    }

    @Test("the weeks searched cover the window with a day of margin")
    func weeksOfTheWindow() {
        let weeks = SpotCheckStreamEvidence.weeks(from: Self.lessonStart - 7 * 86_400_000, through: Self.lessonStart)
        // From Monday 2026-09-21 back a day of margin (Sunday, W38) to Monday 2026-09-28 (W40).
        #expect(weeks.map(\.description) == ["2026-W38", "2026-W39", "2026-W40"])
    }
}
