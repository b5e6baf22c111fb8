import ClassroomWire
import Foundation
import Logging
import ServiceLifecycle

/// Ends patrols nobody watches any more (no viewer in the view log within the idle gap, after the
/// start-up grace) by queuing `spotcheck_stop` with the order id, and records every end — also at
/// lesson end and when a spot-check takes the room — with its reason and an audit entry.
public struct PatrolStopper: Sendable {
    let store: any CollectorStore
    let commands: CommandDispatcher
    let spotcheck: SpotCheckConfiguration
    let configuration: PatrolConfiguration

    public init(
        store: any CollectorStore, commands: CommandDispatcher, spotcheck: SpotCheckConfiguration,
        configuration: PatrolConfiguration
    ) {
        self.store = store
        self.commands = commands
        self.spotcheck = spotcheck
        self.configuration = configuration
    }

    /// One pass over the open patrols at `now`; returns the patrols ended, with why.
    @discardableResult
    public func check(now: Int64, logger: Logger) async throws -> [String: PatrolEndReason] {
        let rule = PatrolStopRule(startupGraceMillis: configuration.startupGraceMillis)
        let rooms = PatrolRooms(store: store, spotcheck: spotcheck, onlineWindowMillis: 0)
        var ended: [String: PatrolEndReason] = [:]
        for patrol in try await store.openPatrols() {
            let viewers = try await store.activeLessonViewers(orderID: patrol.orderID, since: now - configuration.idleMillis)
            let order = try await store.spotCheckOrder(id: patrol.orderID)
            let spotChecks = try await store.spotCheckOrders(week: order?.week ?? "", schoolID: patrol.schoolID)
            let spotCheckActive = spotChecks.contains {
                $0.roomID == patrol.roomID && $0.isSpotCheck && $0.excusedAt == nil
                    && $0.dispatchedAt != nil && rooms.isActive($0, now: now)
            }
            guard
                case .end(let reason, let sendStop) = rule.decide(
                    patrol, now: now, viewers: viewers, spotCheckActive: spotCheckActive)
            else { continue }
            if sendStop, let deviceID = order?.deviceID {
                try await commands.enqueue(
                    AgentCommand(id: Secrets.newID(), kind: .spotcheckStop, issuedAt: now, orderID: patrol.orderID),
                    for: deviceID,
                    audit: AuditEntry(
                        at: now, actor: "collector", action: "patrol.stop", target: "spotcheck_order:\(patrol.orderID)",
                        schoolID: patrol.schoolID, detail: "device \(deviceID): no viewer since \(configuration.idleMillis) ms"))
            }
            let done = try await store.endPatrol(
                orderID: patrol.orderID, at: min(now, patrol.lessonEnd), reason: reason,
                audit: AuditEntry(
                    at: now, actor: "collector", action: "patrol.end", target: "spotcheck_order:\(patrol.orderID)",
                    schoolID: patrol.schoolID, detail: "room \(patrol.roomID): \(reason.rawValue)"))
            if done {
                ended[patrol.orderID] = reason
                logger.info("patrol ended", metadata: ["order": "\(patrol.orderID)", "reason": "\(reason.rawValue)"])
            }
        }
        return ended
    }
}

/// Runs ``PatrolStopper/check(now:logger:)`` every ``PatrolConfiguration/checkInterval`` until
/// graceful shutdown.
public struct PatrolStopService: Service {
    let stopper: PatrolStopper
    let now: @Sendable () -> Int64
    let logger: Logger

    public init(stopper: PatrolStopper, logger: Logger, now: @escaping @Sendable () -> Int64 = collectorNow) {
        self.stopper = stopper
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            // The first pass waits one interval: the server migrates the store as it starts.
            while !Task.isCancelled {
                try? await Task.sleep(for: stopper.configuration.checkInterval)
                if Task.isCancelled { break }
                do {
                    try await stopper.check(now: now(), logger: logger)
                } catch {
                    logger.backgroundPassFailed("patrol check", error: error)
                }
            }
        }
    }
}
