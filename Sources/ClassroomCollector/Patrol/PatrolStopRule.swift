/// When an open patrol ends, as a value: the patrol, the time, how many viewers were seen within the
/// idle gap and whether a spot-check of the room is active in, what to do out. No I/O.
struct PatrolStopRule: Sendable, Hashable {
    /// What to do with one open patrol.
    enum Decision: Sendable, Hashable {
        case keep
        /// Record the end; `sendStop` queues a `spotcheck_stop` naming the order (the agent ends the
        /// stream at lesson end, and for a spot-check, by itself).
        case end(PatrolEndReason, sendStop: Bool)
    }

    let startupGraceMillis: Int64

    func decide(_ patrol: PatrolRecord, now: Int64, viewers: Int, spotCheckActive: Bool) -> Decision {
        if now >= patrol.lessonEnd { return .end(.lessonOver, sendStop: false) }
        if spotCheckActive { return .end(.spotCheck, sendStop: false) }
        if now - patrol.openedAt < startupGraceMillis { return .keep }
        return viewers == 0 ? .end(.noViewers, sendStop: true) : .keep
    }
}
