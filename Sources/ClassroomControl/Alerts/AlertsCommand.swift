import ArgumentParser
import Foundation

/// `classroomctl alerts [--state open|closed|all] [--school ID] [--county NAME] [--json]`: the collector's
/// device-health alerts.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Device-health alerts: silent or clipping microphones, recording rooms without camera or microphone, "
            + "agents offline, backlogged or outdated.",
        discussion: """
            Alerts open and close themselves: the collector evaluates the conditions periodically \
            (classroom-collector serve --alert-interval), opens an alert when one holds and closes it once the \
            condition has been false for the hold time (--alert-close-after, default 6 h), so a flapping device \
            keeps one alert. A school admin's token lists its own school only, a county admin's its county's. See docs/alerts.md.

            Columns: id, state, kind, school, room, device, opened (local time), closed, detail.
            Exit status 0 whether or not alerts are listed; non-zero when the collector cannot be asked.
            """)

    enum State: String, ExpressibleByArgument, CaseIterable { case open, closed, all }

    @OptionGroup var collector: CollectorOptions
    @Option(help: "open (default), closed or all.") var state: State = .open
    @Option(help: "Only this school's alerts.") var school: String?
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Flag(help: "Print the collector's JSON answer.") var json = false

    func run() async throws {
        var query = ["state=\(state.rawValue)"]
        if let school {
            query.append("school=\(school.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? school)")
        }
        if let county = countyQuery(county) { query.append(county) }
        let (_, data) = try await collector.client().call("GET", "/api/v1/alerts?" + query.joined(separator: "&"))
        if json { return FileHandle.standardOutput.write(data + Data("\n".utf8)) }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let alerts = object["alerts"] as? [[String: Any]]
        else { throw CLIError("the collector's answer could not be read as an alert list") }
        for line in Self.lines(alerts) { print(line) }
        if alerts.isEmpty { print("no \(state == .all ? "" : state.rawValue + " ")alerts") }
    }

    /// One line per alert, fields separated by two spaces.
    static func lines(_ alerts: [[String: Any]]) -> [String] {
        alerts.map { a in
            let closed = (a["closed_at"] as? NSNumber).map { time($0.int64Value) }
            let kind = (a["kind"] as? String) ?? "-"
            return [
                "\((a["id"] as? NSNumber)?.int64Value ?? 0)", closed == nil ? "open" : "closed", kind,
                a["school_id"] as? String ?? "-", a["room_id"] as? String ?? "-", a["device_id"] as? String ?? "-",
                (a["opened_at"] as? NSNumber).map { time($0.int64Value) } ?? "-", closed ?? "-", a["detail"] as? String ?? "",
            ].joined(separator: "  ")
        }
    }

    static func time(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
