import ArgumentParser
import ClassroomReports
import CollectorAPI
import Foundation

/// `classroomctl spotcheck notice --week W [--format html|csv|json] [--lang zh|en] [--out FILE]`.
struct SpotCheckNoticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice",
        abstract: "The week's notice (通报): called teachers by school, results, evaluations, whom to follow up.",
        discussion: """
            html is the printable A4 document the console shows at /spotchecks/WEEK/notice; csv is one row \
            per called lesson (UTF-8 with a byte-order mark, for Excel); json is the collector's answer. \
            The figures are those of 'spotcheck results'.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case html, csv, json }

    @OptionGroup var collector: CollectorOptions
    @Option(help: "The ISO week, such as 2026-W48.") var week: String
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Option(help: "html, csv or json.") var format: Format = .html
    @Option(help: "zh (default) or en.") var lang: ReportLanguage = .zh
    @Option(help: "Write to this file instead of standard output.") var out: String?

    func run() async throws {
        let answer = try await collector.client().run {
            try await $0.getApiV1SpotcheckWeeksWeekNotice(path: .init(week: week), query: .init(county: county)).ok.body.json
        }
        let bytes: [UInt8]
        switch format {
        case .json: bytes = Array(try jsonBytes(answer))
        case .html, .csv:
            let notice: SpotCheckNotice
            do {
                notice = try reencode(answer, as: SpotCheckNotice.self)
            } catch {
                throw CLIError("the collector's notice could not be read: \(error)")
            }
            bytes =
                format == .html
                ? Array(SpotCheckNoticeHTML.document(notice, language: lang).utf8)
                : SpotCheckNoticeCSV.table(notice, language: lang).bytes()
        }
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                throw CLIError("\(out): cannot write")
            }
            print("notice of \(week) written to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
