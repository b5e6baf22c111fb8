import ClassroomCore
import ClassroomReports
import CollectorAPI
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
            let query = Self.query(
                profile: profileName, basis: basis, at: at, from: first.description, to: to, county: county)
            let bytes = try await Self.fetch(client, query)
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
        let report = try await wholeReport(client, profile: profileName)
        if let missing = report.notMeasured, format != .json {
            for m in missing { printError("note: \(m.key.rawValue) not measured: \(m.reason)") }
        }
        try write(try render(report))
    }

    /// The report with every school: the collector answers a page of schools at a time, so pages are
    /// asked for until `schools_page.total` (100,000 a request, the collector's most; the hidden `--schools-per-request` is for tests).
    func wholeReport(_ client: CollectorClient, profile: String) async throws -> CoverageReport {
        var query = Self.query(profile: profile, basis: basis, at: at, county: county)
        guard (1...100_000).contains(schoolsPerRequest) else { throw CLIError("--schools-per-request: 1 to 100000") }
        query.schoolsLimit = schoolsPerRequest
        var sofar: CoverageReport?
        while true {
            query.schoolsOffset = sofar?.schools.count ?? 0
            let bytes = try await Self.fetch(client, query)
            let page: CoverageReport
            do {
                page = try CoverageJSON.decode(Array(bytes))
            } catch {
                throw CLIError("\(client.base.absoluteString): the collector's coverage answer is not a report: \(error)")
            }
            var whole = page
            if let sofar {
                whole = sofar
                whole.schools += page.schools
            }
            // A collector from before paging sends every school and no `schools_page`.
            guard let total = page.schoolsPage?.total, whole.schools.count < total else {
                whole.schoolsPage = nil
                return whole
            }
            guard !page.schools.isEmpty else {
                throw CLIError(
                    "\(client.base.absoluteString): the coverage answer stopped at \(whole.schools.count) of \(total) schools")
            }
            sofar = whole
        }
    }

    /// A province's report takes the collector about a minute (docs/coverage.md, *Province scale*).
    static let timeout: Double = 600

    /// The query of `GET /api/v1/coverage`.
    static func query(
        profile: String, basis: BasisOption?, at: String?, from: String? = nil, to: String? = nil, county: String? = nil
    ) -> Operations.GetApiV1Coverage.Input.Query {
        .init(
            profile: profile, basis: basis.flatMap { .init(rawValue: $0.rawValue) }, at: at, from: from, to: to,
            county: county)
    }

    /// The report or trend (either case of the document's `oneOf`) as the collector's JSON, for the shared
    /// report decoders (``CollectorClient/rawBody(timeout:limit:_:)``: not through the generated types).
    static func fetch(_ client: CollectorClient, _ query: Operations.GetApiV1Coverage.Input.Query) async throws -> Data {
        try await client.rawBody(timeout: timeout) { try await $0.getApiV1Coverage(query: query) }
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
