import ArgumentParser
import CollectorAPI
import Foundation

/// `classroomctl spotcheck results --week W [--format table|csv|json]`.
struct SpotCheckResultsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "What became of each called lesson of a week.",
        discussion: """
            Status: conducted, partial (short or silent), not_conducted (delivered, never streamed), \
            device_offline, device_fault, excused, pending (not over). From the media server's \
            callbacks and the evidence the machine signed. CSV is UTF-8 with a byte-order mark.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var collector: CollectorOptions
    @Option(help: "The ISO week, such as 2026-W48.") var week: String
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Option(help: "table, csv or json.") var format: Format = .table

    static let columns = [
        "order", "school_id", "room_id", "teacher_id", "teacher", "weekday", "start", "end", "subject", "status", "reason",
        "evidence",
    ]

    func run() async throws {
        let answer = try await collector.client().run {
            try await $0.getApiV1SpotcheckWeeksWeekResults(path: .init(week: week), query: .init(county: county)).ok.body.json
        }
        let rows = answer.results.map(Self.cells)
        switch format {
        case .json: printJSON(answer)
        case .csv:
            var out = "\u{FEFF}" + Self.columns.joined(separator: ",") + "\r\n"
            for r in rows { out += r.map(Self.csvField).joined(separator: ",") + "\r\n" }
            FileHandle.standardOutput.write(Data(out.utf8))
        case .table:
            let widths = Self.columns.indices.map { i in ([Self.columns[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }
            print(line(Self.columns))
            for r in rows { print(line(r)) }
            if let hidden = answer.hidden, hidden > 0 { print("\(hidden) more, shown when their lesson starts") }
        }
    }

    static func cells(_ row: Components.Schemas.SpotCheckResults.ResultsPayloadPayload) -> [String] {
        let o = row.order
        return [
            o.id, o.schoolId, o.roomId, o.teacherId, o.teacherName, String(o.weekday), o.start, o.end, o.subject,
            row.status, row.reason, row.evidence,
        ]
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { ",\"\r\n".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
