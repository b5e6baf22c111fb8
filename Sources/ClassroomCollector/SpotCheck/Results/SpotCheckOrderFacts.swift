import ClassroomCore
import ClassroomWire
import Crypto
import Foundation

/// An event that belongs to a spot-check order's facts: its evidence (naming the order) or the result
/// of a command (naming the command the order dispatched). The stores keep these links at ingest
/// (``SpotCheckOrderEventsSchema``).
struct SpotCheckOrderEventLink: Sendable, Hashable {
    enum Key: Sendable, Hashable {
        /// Evidence names its order.
        case order(String)
        /// A command result names its command; the store links it to the order that dispatched it.
        case command(String)
    }

    var key: Key
    var deviceID: String
    var seq: Int64
    var kind: String

    /// The links among `events`; events that fail to decode are skipped (the collector checked every
    /// event at ingest; the read model must never block it).
    static func links(in events: [StoredEvent]) -> [SpotCheckOrderEventLink] {
        let decoder = JSONDecoder()
        return events.compactMap { e in
            guard e.kind == "evidence" || e.kind == "command_result",
                let event = try? decoder.decode(AgentEvent.self, from: Data(e.body.utf8))
            else { return nil }
            switch event.body {
            case .evidence(let signed):
                return SpotCheckOrderEventLink(key: .order(signed.orderID), deviceID: e.deviceID, seq: e.seq, kind: e.kind)
            case .commandResult(let result):
                return SpotCheckOrderEventLink(key: .command(result.commandID), deviceID: e.deviceID, seq: e.seq, kind: e.kind)
            default:
                return nil
            }
        }
    }
}

/// What an order's stored events say, for ``SpotCheckClassifier``: a pure function of the order, its
/// device's key, the order's evidence and command results, whether its command is still pending
/// and the device's newest inventory by the end of the lesson.
enum SpotCheckOrderFacts {
    /// The facts, and what became of the evidence (`verified`, `bad_signature`, `none`). `events` are
    /// the order's own device's evidence and command-result events in `seq` order.
    static func facts(
        order o: SpotCheckOrderRecord, publicKey: String, events: [StoredEvent], commandPending: Bool,
        inventory: StoredEvent?
    ) -> (SpotCheckFacts, String) {
        let decoder = JSONDecoder()
        var evidence: SpotCheckEvidencePayloadFacts?
        var state = "none"
        var failed = false
        for stored in events {
            guard let event = try? decoder.decode(AgentEvent.self, from: Data(stored.body.utf8)) else { continue }
            switch event.body {
            case .evidence(let signed) where signed.orderID == o.id:
                guard verify(signed, publicKey: publicKey), let payload = signed.decodedPayload, payload.orderID == o.id else {
                    if evidence == nil { state = "bad_signature" }
                    continue
                }
                evidence = SpotCheckEvidencePayloadFacts(speechRatio: payload.speechRatio, fault: payload.fault)
                state = "verified"
            case .commandResult(let result) where o.commandID != nil && result.commandID == o.commandID:
                failed = failed || result.status == "failed"
            default:
                continue
            }
        }
        let facts = SpotCheckFacts(
            order: o, evidence: evidence, delivered: o.commandID != nil && !commandPending, commandFailed: failed,
            hardwareMissing: inventory.flatMap { missing(in: $0, decoder: decoder) })
        return (facts, state)
    }

    /// What an inventory event lacks for a stream, if anything.
    static func missing(in stored: StoredEvent, decoder: JSONDecoder) -> String? {
        guard let event = try? decoder.decode(AgentEvent.self, from: Data(stored.body.utf8)),
            let inventory = event.body.inventory
        else { return nil }
        if inventory.cameras.isEmpty { return "no camera" }
        if inventory.microphones.isEmpty { return "no microphone" }
        return nil
    }

    /// Ed25519 over ``ClassroomWire/SignedEvidence/signedBytes`` with the device's enrolled key.
    static func verify(_ evidence: SignedEvidence, publicKey: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKey),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes), let bytes = evidence.signedBytes,
            let signature = Data(base64Encoded: evidence.signature)
        else { return false }
        return key.isValidSignature(signature, for: Data(bytes))
    }
}
