import ClassroomCore

/// Successful spot-check and self-test streams from the collector's own publish records: the media
/// server's `on_publish` / `on_publish_done` callbacks (independent of what the agent says), for the
/// recording-classroom indicator of the coverage report.
///
/// A stream counts when it started inside the window and covered at least the share of its lesson
/// that makes a spot-check `conducted` (``SpotCheckConfiguration/minimumStreamedFraction``).
public struct SpotCheckStreamEvidence: StreamEvidenceSource {
    let store: any CollectorStore
    let minimumStreamedFraction: Double

    public init(store: any CollectorStore, minimumStreamedFraction: Double) {
        self.store = store
        self.minimumStreamedFraction = minimumStreamedFraction
    }

    /// Lesson streams: spot-checks (and patrols, which stream a timetabled lesson too).
    public func lastSuccessfulStreams(from: Int64, through: Int64) async throws -> [String: Int64] {
        try await last(from: from, through: through) { !$0.isSelfTest }
    }

    /// Self-test publishes (自检推流), held to the same share of their (short) window.
    public func lastSelfTestStreams(from: Int64, through: Int64) async throws -> [String: Int64] {
        try await last(from: from, through: through) { $0.isSelfTest }
    }

    func last(from: Int64, through: Int64, where include: (SpotCheckOrderRecord) -> Bool) async throws -> [String: Int64] {
        var last: [String: Int64] = [:]
        for week in Self.weeks(from: from, through: through) {
            for order in try await store.spotCheckOrders(week: week.description, schoolID: nil) where include(order) {
                guard let started = order.publishStartedAt, let ended = order.publishEndedAt,
                    (from...through).contains(started), order.streamSucceeded(minimumStreamedFraction: minimumStreamedFraction)
                else { continue }
                last[order.roomID] = max(last[order.roomID] ?? ended, ended)
            }
        }
        return last
    }

    /// The ISO weeks whose lessons may fall in the window, with a day of margin on each side for
    /// the county's offset from UTC.
    public static func weeks(from: Int64, through: Int64) -> [ISOWeek] {
        let first = ISOWeek(containing: LocalDate(daysSinceEpoch: Int(from / 86_400_000) - 1))
        let last = ISOWeek(containing: LocalDate(daysSinceEpoch: Int(through / 86_400_000) + 1))
        var weeks = [first]
        while let current = weeks.last, current < last, weeks.count < 60 { weeks.append(current.next) }
        return weeks
    }
}
