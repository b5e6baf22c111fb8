import ArgumentParser
import ClassroomCore
import ClassroomReports
import CollectorAPI
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
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Option(help: "table, csv or json.") var format: Format = .table
    @Flag(help: "Same as --format json.") var json = false
    @Option(help: "zh (default) or en, for csv.") var lang: ReportLanguage = .zh

    func run() async throws {
        let answer = try await collector.client().run {
            try await $0.getApiV1Observation(query: .init(week: week, termStart: termStart, county: county)).ok.body.json
        }
        if json || format == .json { return printJSON(answer) }
        let report: ObservationQuotaReport
        do {
            report = try reencode(answer, as: ObservationQuotaReport.self)
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
