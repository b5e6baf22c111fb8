import ClassroomCore

/// What the spot-check page shows.
struct SpotChecksModel: Sendable {
    struct Row: Sendable {
        var id: String
        var school: String
        var room: String
        var teacher: String
        var lesson: String
        var source: String
        var status: String
        var statusClass: String
        var reason: String
        var evidence: String
        var excusable: Bool

        var csv: [String] { [id, school, room, teacher, lesson, source, status, reason, evidence] }
    }
    struct Week: Sendable {
        var week: String
        var href: String
        var drawn: Bool
        var called: Int
        var conducted: Int
        var failed: Int
        var excused: Int

        init(week: String, drawn: Bool, results: SpotCheckQueries.Results, text: ConsoleText) {
            self.week = week
            href = "/spotchecks?week=\(week)"
            self.drawn = drawn
            called = results.results.count
            conducted = results.results.filter { $0.status == .conducted }.count
            excused = results.results.filter { $0.status == .excused }.count
            failed = results.results.filter { SpotChecksModel.failures.contains($0.status) }.count
        }
    }
    struct Verification: Sendable {
        var ok: Bool
        var message: String
    }

    static let failures: Set<SpotCheckStatus> = [.partial, .notConducted, .deviceOffline, .deviceFault]

    var week: String
    var drawn: Bool
    /// Why the week is not drawn and will not be (no school day: 本周无教学日（寒假），不抽查).
    var noSchool: String?
    var commitment: String?
    var count: Int?
    var revealed: Bool
    var hidden: Int?
    var rows: [Row]
    var summary: String
    var isBureauAdmin = false
    /// Whether each order links to its watch page (`/lessons/{id}`): roles that may watch lessons.
    var mayWatch = false
    var weekOver = false
    var csvHref = ""
    var previousHref = ""
    var nextHref = ""
    var history: [Week] = []
    var verification: Verification?

    init(
        view: SpotCheckWeekView, results: SpotCheckQueries.Results, text t: ConsoleText, schools: [String: String],
        rooms: [String: String], console: ConsoleEnvironment
    ) {
        week = view.week
        drawn = view.drawn
        noSchool = view.noSchool.map {
            t.language == .zhCN ? "本周无教学日（\($0.reasonZH)），不抽查" : "No school day this week (\($0.reason)): no draw."
        }
        commitment = view.commitment
        count = view.count
        revealed = view.revealed
        hidden = results.hidden
        rows = results.results.map { r in
            let o = r.order
            let day = t.t("weekday_\(o.weekday)")
            return Row(
                id: o.id, school: schools[o.schoolID] ?? o.schoolID, room: rooms[o.roomID] ?? o.roomID, teacher: o.teacherName,
                lesson: "\(day) \(o.start)–\(o.end) \(o.subject)", source: t.t("source_" + o.source),
                status: t.t("status_" + r.status.rawValue),
                statusClass: r.status == .conducted ? "ok" : Self.failures.contains(r.status) ? "bad" : "muted",
                reason: o.excuseReason ?? r.why.map(t.reason) ?? r.reason, evidence: t.t("evidence_" + r.evidence),
                excusable: r.status != .excused && r.status != .conducted)
        }
        let done = results.results.filter { $0.status == .conducted }.count
        summary = t.t("spot_summary", String(results.results.count), String(done))
    }

    static func csvHeader(_ t: ConsoleText) -> [String] {
        [
            "col_order", "col_school", "col_room", "col_teacher", "col_lesson", "col_source", "col_status", "col_reason",
            "col_evidence",
        ].map { t.t($0) }
    }
}
