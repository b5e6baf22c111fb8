import ClassroomCore
import Foundation

extension CoverageReportCommand {
    /// The report from a classroom-collector (`GET /api/v1/coverage`), rendered like an offline one.
    func fetch() async throws {
        guard from == nil, to == nil else {
            throw CLIError("--from/--to trend points come from --registry or --sample; a collector gives one day (--at)")
        }
        if let at, LocalDate(parsing: at) == nil { throw CLIError("--at '\(at)': expected a date YYYY-MM-DD") }
        let name = URL(filePath: profile).lastPathComponent
        let profileName = name.hasSuffix(".toml") ? String(name.dropLast(5)) : name
        let client = try collector.client()
        let bytes = try await client.call("GET", Self.path(profile: profileName, basis: basis, at: at)).1
        let report: CoverageReport
        do {
            report = try CoverageJSON.decode(Array(bytes))
        } catch {
            throw CLIError("\(client.base.absoluteString): the collector's coverage answer is not a report: \(error)")
        }
        if let missing = report.notMeasured, format != .json {
            for m in missing { printError("note: \(m.key.rawValue) not measured: \(m.reason)") }
        }
        try write(try render(report))
    }

    /// `api/v1/coverage?…` with the query escaped.
    static func path(profile: String, basis: BasisOption?, at: String?) -> String {
        var components = URLComponents()
        components.path = "/api/v1/coverage"
        var items = [URLQueryItem(name: "profile", value: profile)]
        if let basis { items.append(URLQueryItem(name: "basis", value: basis.rawValue)) }
        if let at { items.append(URLQueryItem(name: "at", value: at)) }
        components.queryItems = items
        return components.string ?? "/api/v1/coverage"
    }

    /// The report in the chosen format.
    func render(_ report: CoverageReport) throws -> [UInt8] {
        switch format {
        case .table: Array(CoverageTableRenderer(report: report, lang: lang).render().utf8)
        case .json: try CoverageJSON.encode(report)
        case .csv: CoverageCSVRenderer(report: report, lang: lang).render()
        case .html: Array(CoverageHTMLRenderer(report: report, lang: lang).render().utf8)
        }
    }
}
