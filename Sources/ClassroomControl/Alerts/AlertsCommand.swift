import ArgumentParser
import CollectorAPI
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
        let query = Operations.GetApiV1Alerts.Input.Query(
            state: .init(rawValue: state.rawValue), school: school, county: county)
        let list = try await collector.client().run { try await $0.getApiV1Alerts(query: query).ok.body.json }
        if json { return printJSON(list) }
        for line in Self.lines(list.alerts) { print(line) }
        if list.alerts.isEmpty { print("no \(state == .all ? "" : state.rawValue + " ")alerts") }
    }

    /// One line per alert, fields separated by two spaces.
    static func lines(_ alerts: [Components.Schemas.Alert]) -> [String] {
        alerts.map { a in
            let closed = a.closedAt.map { time(Int64($0)) }
            return [
                "\(a.id)", closed == nil ? "open" : "closed", a.kind.rawValue, a.schoolId, a.roomId ?? "-",
                a.deviceId ?? "-", time(Int64(a.openedAt)), closed ?? "-", a.detail,
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
