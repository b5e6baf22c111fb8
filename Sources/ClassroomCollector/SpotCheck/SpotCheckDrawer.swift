import ClassroomCore
import Foundation
import Logging

/// Runs a week's draw on the collector's data: eligibility from the agents, the rotation from the
/// previous week's draw, ClassroomCore's draw, then the orders, commitment and secret reveal stored.
public struct SpotCheckDrawer: Sendable {
    let store: any CollectorStore
    let configuration: SpotCheckConfiguration

    public init(store: any CollectorStore, configuration: SpotCheckConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    /// What a draw published: the commitment and counts, never the names.
    public struct Outcome: Codable, Sendable, Hashable {
        public var week: String
        public var commitment: String
        public var orders: Int
        public var shortfall: Int
        public var newRoundStarted: Bool
        public var round: Int
        public var eligibleTeachers: Int
        public var eligibleSchools: Int
        public var snapshotDigest: String

        enum CodingKeys: String, CodingKey {
            case week, commitment, orders, shortfall, round
            case newRoundStarted = "new_round_started"
            case eligibleTeachers = "eligible_teachers"
            case eligibleSchools = "eligible_schools"
            case snapshotDigest = "snapshot_digest"
        }
    }

    /// Why a draw was refused.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        case alreadyDrawn(String)
        case laterWeekDrawn(String)
        case weekOver(String)
        /// The registry's term calendar has no school day in the week (a break or holidays).
        case noSchoolDay(NoSchoolWeek)

        public var description: String {
            switch self {
            case .alreadyDrawn(let w): "week \(w) has been drawn already"
            case .laterWeekDrawn(let w): "week \(w) has been drawn already; weeks are drawn in order"
            case .weekOver(let w): "week \(w) is over"
            case .noSchoolDay(let off): "week \(off)"
            }
        }
    }

    /// Draws `week`, stores it and returns what may be published now.
    public func draw(week: ISOWeek, count: Int, beacon: String, actor: String, now: Int64) async throws -> Outcome {
        guard now < configuration.endOfWeek(week) else { throw Refusal.weekOver(week.description) }
        var phases = RequestPhases()
        var rounds = SpotCheckRoundState.initial
        if let latest = try await store.latestSpotCheckDrawSummary() {
            guard latest.week != week.description else { throw Refusal.alreadyDrawn(week.description) }
            guard latest.week < week.description else { throw Refusal.laterWeekDrawn(latest.week) }
            rounds = try JSONDecoder().decode(SpotCheckRoundState.self, from: Data(latest.roundsAfter.utf8))
        }
        if let off = try await store.termCalendar()?.noSchool(in: week) { throw Refusal.noSchoolDay(off) }
        let registry = try await store.registry()
        phases.mark("registry")
        let rooms = try await SpotCheckEligibilityReader(store: store, configuration: configuration).eligibleRoomIDs(now: now)
        phases.mark("eligibility")
        let snapshot = SpotCheckEligibility(week: week, eligibleRooms: rooms).snapshot(of: registry)
        phases.mark("snapshot")
        let input = SpotCheckDrawInput(week: week, count: count, beacon: beacon, snapshot: snapshot, rounds: rounds)
        let result = SpotCheckDraw.run(input)
        phases.mark("draw")
        var generator = SystemRandomNumberGenerator()
        let reveal = SpotCheckReveal(input: input, result: result, salt: SpotCheckCommitment.salt(using: &generator))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let names = Self.names(of: Set(result.orders.map(\.teacherID)), in: registry)
        let orders = result.orders.enumerated().map { k, o in
            SpotCheckOrderRecord(
                id: Self.orderID(week: week, position: k), week: week.description, source: "draw", position: k,
                round: o.round, teacherID: o.teacherID, teacherName: names[o.teacherID] ?? o.teacherID, schoolID: o.schoolID,
                roomID: o.roomID, weekday: o.weekday, startMinute: o.start.minutes, endMinute: o.end.minutes,
                subject: o.subject, lessonStart: configuration.instant(week: week, weekday: o.weekday, minutes: o.start.minutes),
                lessonEnd: configuration.instant(week: week, weekday: o.weekday, minutes: o.end.minutes), createdAt: now)
        }
        let record = SpotCheckDrawRecord(
            week: week.description, count: count, orderCount: orders.count, shortfall: result.shortfall,
            commitment: reveal.commitment, reveal: try reveal.encodedJSON(),
            roundsAfter: String(decoding: try encoder.encode(result.roundsAfter), as: UTF8.self), drawnAt: now,
            drawnBy: actor)
        phases.mark("reveal")
        let stored = try await store.insertSpotCheckDraw(
            record, orders: orders,
            audit: AuditEntry(
                at: now, actor: actor, action: "spotcheck.draw", target: "spotcheck:\(week)", schoolID: nil,
                detail: "count \(count), \(orders.count) orders, commitment \(reveal.commitment)"))
        guard stored else { throw Refusal.alreadyDrawn(week.description) }
        phases.mark("store")
        Self.logger.info(
            "spot-check draw",
            metadata: phases.metadata(registry).merging(
                ["week": "\(week)", "eligible_rooms": "\(rooms.count)", "eligible_teachers": "\(snapshot.teachers.count)"]
            ) { $1 })
        return Outcome(
            week: week.description, commitment: reveal.commitment, orders: orders.count, shortfall: result.shortfall,
            newRoundStarted: result.newRoundStarted, round: result.roundsAfter.round, eligibleTeachers: snapshot.teachers.count,
            eligibleSchools: snapshot.schoolCount, snapshotDigest: reveal.snapshotDigest)
    }

    /// The names of the drawn teachers (the first registry teacher of each id, as before): a dictionary
    /// of the province's half a million teachers took 0.1 s of each draw to name twenty.
    static func names(of drawn: Set<String>, in registry: Registry) -> [String: String] {
        var names: [String: String] = [:]
        for t in registry.teachers where drawn.contains(t.id) && names[t.id] == nil { names[t.id] = t.name }
        return names
    }

    /// Where each draw's time went (info), for operators and the province benchmark.
    static let logger = Logger(label: "classroom-collector")

    /// `2026-W48-03`: readable in the CLI (`spotcheck excuse 2026-W48-03`) and unique per draw.
    static func orderID(week: ISOWeek, position: Int) -> String {
        "\(week)-\(position + 1 < 10 ? "0" : "")\(position + 1)"
    }
}
