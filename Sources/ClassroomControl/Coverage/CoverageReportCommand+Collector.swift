import ClassroomCore
import ClassroomReports
import Foundation

extension CoverageReportCommand {
    /// The report from a classroom-collector (`GET /api/v1/coverage`), rendered like an offline one.
    func fetch() async throws {
        if let at, LocalDate(parsing: at) == nil { throw CLIError("--at '\(at)': expected a date YYYY-MM-DD") }
        let name = URL(filePath: profile).lastPathComponent
        let profileName = name.hasSuffix(".toml") ? String(name.dropLast(5)) : name
        let client = try collector.client()
        if from != nil || to != nil {
            // Checked here too, so a mistake is named in the CLI's words; without `--to` the collector
            // ends the line on `--at` or its own today.
            let zone: CountyTimeZone
            do { zone = try CountyTimeZone.named(timeZone) } catch { throw CLIError("--time-zone: \(error)") }
            let today = at.flatMap { LocalDate(parsing: $0) } ?? zone.localTime(of: Date()).date
            let (first, _) = try trendRange(today: today)
            let path = Self.path(
                profile: profileName, basis: basis, at: at, from: first.description, to: to, county: county)
            let bytes = try await client.call("GET", path, timeout: Self.timeout).1
            let doc: CoverageTrend.Document
            do {
                doc = try CoverageTrend.Document.decode(Array(bytes))
            } catch {
                throw CLIError("\(client.base.absoluteString): the collector's coverage answer is not a trend: \(error)")
            }
            if let missing = doc.notMeasured, format != .json {
                for m in missing { printError("note: \(m.key.rawValue) not measured: \(m.reason)") }
            }
            try write(try renderTrend(doc, title: "\(doc.profile) — \(client.base.host() ?? "collector")"))
            return
        }
        let bytes = try await client.call(
            "GET", Self.path(profile: profileName, basis: basis, at: at, county: county), timeout: Self.timeout
        ).1
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

    /// A province's report takes the collector about a minute (docs/coverage.md, *Province scale*).
    static let timeout: Double = 600

    /// `api/v1/coverage?…` with the query escaped.
    static func path(
        profile: String, basis: BasisOption?, at: String?, from: String? = nil, to: String? = nil, county: String? = nil
    ) -> String {
        var components = URLComponents()
        components.path = "/api/v1/coverage"
        var items = [URLQueryItem(name: "profile", value: profile)]
        if let basis { items.append(URLQueryItem(name: "basis", value: basis.rawValue)) }
        if let at { items.append(URLQueryItem(name: "at", value: at)) }
        if let from { items.append(URLQueryItem(name: "from", value: from)) }
        if let to { items.append(URLQueryItem(name: "to", value: to)) }
        if let county { items.append(URLQueryItem(name: "county", value: county)) }
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
