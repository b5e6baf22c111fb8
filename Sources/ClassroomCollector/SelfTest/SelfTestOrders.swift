import ClassroomCore
import Crypto
import Foundation

/// Names shared by everything that creates or reads self-test orders (自检推流): the weekly short
/// publish that proves a recording room can stream without waiting for a spot-check call.
///
/// A self-test is a ``SpotCheckOrderRecord`` with `source = "selftest"`, dispatched with a single-use
/// key and proven by `on_publish` / `on_publish_done` like any order, but it is never a lesson: the week
/// listings, results, notices, the reveal, the watch page and recordings never show it.
public enum SelfTestOrders {
    /// ``SpotCheckOrderRecord/source`` of a self-test order.
    public static let source = "selftest"
    /// Order ids of self-tests start with this.
    static let idPrefix = "selftest-"

    /// The scheduled self-test of `roomID` in `week`: `selftest-2026-W48-` and 16 hex digits of the
    /// room id's SHA-256 (room ids may hold characters an order id may not). Every collector computes
    /// the same id, so the table's primary key lets only one of them insert it.
    ///
    /// A retry of the week (``SelfTestConfiguration/attempts``) appends its attempt number: `…-2`, `…-3`.
    public static func id(week: ISOWeek, roomID: String, attempt: Int = 1) -> String {
        let digest = SHA256.hash(data: Data(roomID.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return "\(idPrefix)\(week)-\(digest)" + (attempt > 1 ? "-\(attempt)" : "")
    }
}

extension SpotCheckOrderRecord {
    /// A self-test publish (自检推流), not a lesson.
    public var isSelfTest: Bool { source == SelfTestOrders.source }

    /// Whether the media server saw this order stream: `on_publish` and `on_publish_done` both came,
    /// and the publish covered at least `minimumStreamedFraction` of the order's window. The one rule
    /// for the coverage report's stream evidence and for a self-test's retry.
    public func streamSucceeded(minimumStreamedFraction: Double) -> Bool {
        guard let started = publishStartedAt, let ended = publishEndedAt else { return false }
        return streamedFraction(started: started, ended: ended) >= minimumStreamedFraction
    }

    /// A called lesson (the weekly draw or `spotcheck now`): neither a patrol nor a self-test.
    public var isSpotCheck: Bool { source != PatrolOrders.source && source != SelfTestOrders.source }
}
