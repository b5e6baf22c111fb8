import ClassroomCore
import ClassroomWire
import Crypto
import Foundation

/// The results of a week: every visible order with its status, for
/// `GET /api/v1/spotcheck/weeks/{week}/results` and the console's spot-check page.
extension SpotCheckQueries {
    struct ResultRow: Codable, Sendable {
        var order: SpotCheckOrderView
        var status: SpotCheckStatus
        var reason: String
        var evidence: String
        /// The reason as a value, for the console's labels (the JSON carries ``reason``, in English).
        var why: SpotCheckReason? = nil

        enum CodingKeys: String, CodingKey { case order, status, reason, evidence }
    }

    struct Results: Codable, Sendable {
        var week: String
        var revealed: Bool
        var results: [ResultRow]
        var hidden: Int?
    }

    /// Orders of a drawn week appear once their lesson has started, all of them after the reveal;
    /// `now` orders at once. A school admin sees its own school's only, a county admin its county's
    /// (`county=` narrows to one county), and neither gets the hidden count.
    func results(_ who: OperatorPrincipal, week: ISOWeek, county: String? = nil) async throws -> Results {
        try who.require(OperatorRole.readers)
        let revealed = try await store.spotCheckDraw(week: week.description)?.revealedAt != nil
        let orders = try await spotCheckOrders(who, week: week, county: county)
        let t = now()
        let visible = orders.filter { revealed || $0.source != "draw" || $0.lessonStart <= t }
        var rows: [ResultRow] = []
        for order in visible {
            let (facts, evidence) = try await facts(order)
            let (status, reason) = SpotCheckClassifier.classify(facts, now: t, configuration: configuration)
            rows.append(
                ResultRow(
                    order: SpotCheckOrderView(order), status: status, reason: reason.english, evidence: evidence, why: reason))
        }
        return Results(
            week: week.description, revealed: revealed, results: rows,
            hidden: who.seesHiddenOrders ? orders.count - visible.count : nil)
    }

    /// The facts of one order, and what became of its evidence (`verified`, `bad_signature`, `none`).
    func facts(_ o: SpotCheckOrderRecord) async throws -> (SpotCheckFacts, String) {
        guard let deviceID = o.deviceID, let device = try await store.device(id: deviceID) else {
            return (SpotCheckFacts(order: o, evidence: nil, delivered: false, commandFailed: false), "none")
        }
        let since = o.lessonStart - 86_400_000
        let decoder = JSONDecoder()
        var evidence: SpotCheckEvidencePayloadFacts?
        var state = "none"
        for stored in try await store.events(deviceID: deviceID, kind: "evidence", since: since) {
            guard let event = try? decoder.decode(AgentEvent.self, from: Data(stored.body.utf8)),
                case .evidence(let signed) = event.body, signed.orderID == o.id
            else { continue }
            guard Self.verify(signed, publicKey: device.publicKey), let payload = signed.decodedPayload,
                payload.orderID == o.id
            else {
                if evidence == nil { state = "bad_signature" }
                continue
            }
            evidence = SpotCheckEvidencePayloadFacts(speechRatio: payload.speechRatio, fault: payload.fault)
            state = "verified"
        }
        var failed = false
        if let commandID = o.commandID {
            for stored in try await store.events(deviceID: deviceID, kind: "command_result", since: since) {
                guard let event = try? decoder.decode(AgentEvent.self, from: Data(stored.body.utf8)),
                    case .commandResult(let result) = event.body, result.commandID == commandID
                else { continue }
                failed = failed || result.status == "failed"
            }
        }
        let pending = try await store.pendingCommands(deviceID: deviceID).contains { $0.id == o.commandID }
        let delivered = o.commandID != nil && !pending
        let facts = SpotCheckFacts(
            order: o, evidence: evidence, delivered: delivered, commandFailed: failed,
            hardwareMissing: try await hardwareMissing(deviceID: deviceID, by: o.lessonEnd))
        return (facts, state)
    }

    /// What the newest inventory the device reported up to `by` lacks for a stream, if anything.
    func hardwareMissing(deviceID: String, by: Int64) async throws -> String? {
        let decoder = JSONDecoder()
        var latest: (seq: Int64, inventory: HardwareInventory)?
        for kind in ["inventory_snapshot", "inventory_change"] {
            for stored in try await store.events(deviceID: deviceID, kind: kind, since: 0) where stored.at <= by {
                guard latest.map({ stored.seq > $0.seq }) ?? true,
                    let event = try? decoder.decode(AgentEvent.self, from: Data(stored.body.utf8))
                else { continue }
                switch event.body {
                case .inventorySnapshot(let inventory): latest = (stored.seq, inventory)
                case .inventoryChange(let change): latest = (stored.seq, change.inventory)
                default: continue
                }
            }
        }
        guard let inventory = latest?.inventory else { return nil }
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
