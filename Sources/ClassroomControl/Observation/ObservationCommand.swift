import ArgumentParser
import ClassroomCore
import ClassroomReports
import Foundation

/// `classroomctl observation [--week W] [--term-start YYYY-MM-DD] [--json | --format csv]`: the
/// observation quotas (听课) from the collector's view log.
struct ObservationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observation",
        abstract: "Lessons observed by each principal and vice-principal this week, and the term's school coverage.",
        discussion: """
            The quotas and the term come from the collector's observation profile \
            (Deploy/profiles/observation/luxi.toml: 校长每周听课不少于 1 节, 副校长不少于 2 节; 每学期听课学校覆盖率不低于 60%). \
            One observed lesson: a lesson watched (live, recording or patrol) for the profile's lesson_minutes \
            in all by the principal's linked console account. See docs/observation.md.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @OptionGroup var collector: CollectorOptions
    @Option(help: "The ISO week, such as 2026-W48 (default: this week).") var week: String?
    @Option(help: "Count the term from this date (YYYY-MM-DD) instead of the profile's term.") var termStart: String?
    @Option(help: "table, csv or json.") var format: Format = .table
    @Flag(help: "Same as --format json.") var json = false
    @Option(help: "zh (default) or en, for csv.") var lang: ReportLanguage = .zh

    func run() async throws {
        var query: [String] = []
        if let week { query.append("week=\(week)") }
        if let termStart { query.append("term_start=\(termStart)") }
        let path = "/api/v1/observation" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let (_, data) = try await collector.client().call("GET", path)
        if json || format == .json { return FileHandle.standardOutput.write(data + Data("\n".utf8)) }
        let report: ObservationQuotaReport
        do {
            report = try JSONDecoder().decode(ObservationQuotaReport.self, from: data)
        } catch {
            throw CLIError("the collector's answer could not be read: \(error)")
        }
        if format == .csv {
            return FileHandle.standardOutput.write(Data(ObservationQuotaCSV.table(report, language: lang).bytes()))
        }
        print("week \(report.week) (\(report.weekStart) – \(report.weekEnd))")
        for p in report.principals {
            let who = p.users.isEmpty ? "no linked account" : p.users.joined(separator: ",")
            print(
                "\(p.schoolID)  \(p.name) (\(p.teacherID), \(p.position.en))  \(p.observed)/\(p.quota)  "
                    + "\(p.met ? "met" : "NOT MET")  [\(who)]")
        }
        if report.principals.isEmpty { print("no principal or vice-principal in the registry (teachers.csv position)") }
        let c = report.coverage
        print(
            "term \(report.termStart) – \(report.termEnd): \(c.observed.count)/\(c.schools) schools observed by the county "
                + "(\(Int((c.share * 100).rounded()))%, target \(Int((c.target * 100).rounded()))%) \(c.met ? "met" : "NOT MET")")
    }
}
