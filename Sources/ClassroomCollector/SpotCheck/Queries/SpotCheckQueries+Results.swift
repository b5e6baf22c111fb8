import ClassroomCore
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
        let revealed = try await store.spotCheckDrawSummary(week: week.description)?.revealedAt != nil
        let orders = try await spotCheckOrders(who, week: week, county: county)
        let t = now()
        let visible = orders.filter { revealed || $0.source != "draw" || $0.lessonStart <= t }
        var rows: [ResultRow] = []
        let facts = try await facts(visible)
        for (order, (facts, evidence)) in zip(visible, facts) {
            let (status, reason) = SpotCheckClassifier.classify(facts, now: t, configuration: configuration)
            rows.append(
                ResultRow(
                    order: SpotCheckOrderView(order), status: status, reason: reason.english, evidence: evidence, why: reason))
        }
        return Results(
            week: week.description, revealed: revealed, results: rows,
            hidden: who.seesHiddenOrders ? orders.count - visible.count : nil)
    }

    /// The facts of each order, and what became of its evidence (`verified`, `bad_signature`, `none`),
    /// from the read model of the orders' events (one query for all) and, per order, its device, its
    /// command's delivery and the device's newest inventory by the lesson's end.
    func facts(_ orders: [SpotCheckOrderRecord]) async throws -> [(SpotCheckFacts, String)] {
        let events = try await store.spotCheckOrderEvents(orderIDs: orders.map(\.id))
        var answer: [(SpotCheckFacts, String)] = []
        for o in orders {
            guard let deviceID = o.deviceID, let device = try await store.device(id: deviceID) else {
                answer.append((SpotCheckFacts(order: o, evidence: nil, delivered: false, commandFailed: false), "none"))
                continue
            }
            let pending = try await store.pendingCommands(deviceID: deviceID).contains { $0.id == o.commandID }
            answer.append(
                SpotCheckOrderFacts.facts(
                    order: o, publicKey: device.publicKey, events: events[o.id] ?? [], commandPending: pending,
                    inventory: try await store.latestInventoryEvent(deviceID: deviceID, by: o.lessonEnd)))
        }
        return answer
    }
}
