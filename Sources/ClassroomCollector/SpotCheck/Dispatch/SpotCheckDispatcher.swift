import ClassroomWire
import Foundation
import Logging

/// Sends due orders to their rooms: at lesson start minus the lead time, a `spotcheck_start`
/// command with a fresh single-use stream key goes through the collector's command queue (so a
/// waiting long-poll wakes at once).
public struct SpotCheckDispatcher: Sendable {
    let store: any CollectorStore
    let commands: CommandDispatcher
    let configuration: SpotCheckConfiguration

    public init(store: any CollectorStore, commands: CommandDispatcher, configuration: SpotCheckConfiguration) {
        self.store = store
        self.commands = commands
        self.configuration = configuration
    }

    /// Stream keys: 256 random bits; only their SHA-256 is stored with the order.
    static let streamKeyPrefix = "cfk_"

    /// Dispatches every order due at `now`; returns how many were dispatched (with or without a device).
    @discardableResult
    public func dispatchDue(now: Int64, logger: Logger) async throws -> Int {
        let due = try await store.dueSpotCheckOrders(startingBy: now + configuration.leadSeconds * 1000, now: now)
        var done = 0
        for order in due {
            do {
                if try await dispatch(order, now: now) != nil { done += 1 }
            } catch {
                logger.error("spot-check dispatch failed", metadata: ["order": "\(order.id)", "error": "\(error)"])
            }
        }
        return done
    }

    /// Dispatches one order now; nil when another pass dispatched it first.
    public func dispatch(_ order: SpotCheckOrderRecord, now: Int64) async throws -> SpotCheckDispatch? {
        let reader = SpotCheckEligibilityReader(store: store, configuration: configuration)
        guard let device = try await reader.device(ofRoom: order.roomID) else {
            let none = SpotCheckDispatch(deviceID: nil, commandID: nil, streamKeyHash: nil, note: "no_device")
            return try await store.claimSpotCheckDispatch(orderID: order.id, dispatch: none, at: now) ? none : nil
        }
        let key = Secrets.make(prefix: Self.streamKeyPrefix)
        // A patrol (巡课) or a self-test (自检推流) goes to its own application and says so; a
        // spot-check's payload stays as before.
        let (ingest, purpose, action): (String, SpotCheckPurpose?, String) =
            switch order.source {
            case PatrolOrders.source: (configuration.patrolIngest, .patrol, "patrol.dispatch")
            case SelfTestOrders.source: (configuration.selfTestIngest, .selftest, "selftest.dispatch")
            default: (configuration.ingestURL, nil, "spotcheck.dispatch")
            }
        let command = AgentCommand(
            id: Secrets.newID(), kind: .spotcheckStart, issuedAt: now,
            spotcheck: SpotCheckOrderPayload(
                orderID: order.id, ingestURL: Self.join(ingest, key), lessonStart: order.lessonStart,
                lessonEnd: order.lessonEnd, teacherName: order.teacherName, subject: order.subject, purpose: purpose))
        let sent = SpotCheckDispatch(deviceID: device.id, commandID: command.id, streamKeyHash: Secrets.hash(key), note: "sent")
        guard try await store.claimSpotCheckDispatch(orderID: order.id, dispatch: sent, at: now) else { return nil }
        do {
            try await commands.enqueue(
                command, for: device.id,
                audit: AuditEntry(
                    at: now, actor: "collector", action: action,
                    target: "spotcheck_order:\(order.id)",
                    schoolID: order.schoolID, detail: "device \(device.id), room \(order.roomID)"))
        } catch {
            try? await store.releaseSpotCheckDispatch(orderID: order.id)
            throw error
        }
        return sent
    }

    static func join(_ base: String, _ key: String) -> String {
        base.hasSuffix("/") ? base + key : base + "/" + key
    }
}
