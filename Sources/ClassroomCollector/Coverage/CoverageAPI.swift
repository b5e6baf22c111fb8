import ClassroomCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `GET /api/v1/coverage?profile=NAME[&basis=verified|declared][&at=YYYY-MM-DD][&window_days=N][&county=NAME]`:
/// the coverage report (with several counties: county rows and the prefecture total; `county=` one county), the same JSON as `classroomctl coverage report --format json`; with
/// `from=YYYY-MM-DD[&to=YYYY-MM-DD]` the weekly trend points instead (see `CoverageAPI+Trend.swift`).
/// The report's `schools` come a page at a time (`schools_offset`, `schools_limit`, default the first
/// 1,000), with `schools_page` giving the total: a province's 20,000 school rows were a 71 MB answer.
///
/// Every operator role may read it. Bureau admins, bureau viewers and auditors get the whole county;
/// a school admin gets only its own school's row, with `scope` set to `school:<id>` and the county
/// figures (indicators, gaps, rule tallies) emptied: the county's balance is the bureau's business
/// and would reveal other schools' figures in small counties. The work is ``CoverageQueries``'.
struct CoverageAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let configuration: CollectorConfiguration
    let now: @Sendable () -> Int64
    /// Successful spot-check streams; nil until the collector keeps stream records.
    var streams: (any StreamEvidenceSource)? = nil

    var auth: Authenticator { Authenticator(store: store, now: now) }
    static var queryKeys: Set<String> { CoverageQueries.queryKeys }
    /// The query and authorization this route shares with the console.
    var queries: CoverageQueries { CoverageQueries(store: store, configuration: configuration, now: now, streams: streams) }

    func register(on router: Router<Context>) {
        router.get("api/v1/coverage") { request, context in try await coverage(request, logger: context.logger) }
    }

    func coverage(_ request: Request, logger: Logger) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: Set(OperatorRole.allCases))
        let pairs = request.uri.queryParameters.map { (String($0.key), $0.value) }
        let query = try CoverageQueries.Query(parsing: Dictionary(pairs) { first, _ in first })
        let body: [UInt8]
        switch try await queries.answer(who, query, logger: logger) {
        case .report(let report):
            body = try CoverageJSON.encode(report.pagingSchools(offset: query.schoolsOffset, limit: query.schoolsLimit))
        case .trend(let document): body = try document.encoded()
        }
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// `GET /api/v1/coverage` as a function of the operator and the query, for the route and the console.
///
/// Every operator role may read it. Bureau admins, bureau viewers and auditors get the whole county;
/// a school admin gets only its own school's row (``CoverageScoping/school(_:_:)``).
struct CoverageQueries: Sendable {
    let store: any CollectorStore
    let configuration: CollectorConfiguration
    let now: @Sendable () -> Int64
    var streams: (any StreamEvidenceSource)? = nil

    static var queryKeys: Set<String> {
        ["profile", "basis", "at", "window_days", "from", "to", "county", "schools_offset", "schools_limit"]
    }
    /// The schools of one page of the report when `schools_limit` is not given, and the most it may ask.
    static let defaultSchoolsLimit = 1_000
    static let maxSchoolsLimit = 100_000

    /// The parameters of a coverage request, checked.
    struct Query: Sendable, Hashable {
        var profile: String
        var basis = CoverageBasis.verified
        /// The report day; nil for today in the county's time zone.
        var at: LocalDate?
        var windowDays = 7
        var from: Substring?
        var to: Substring?
        /// Only this county of a prefecture registry (`county=`, the schools.csv value); nil for all.
        var county: String?
        /// The page of the report's schools (`schools_offset`, `schools_limit`); the route applies it.
        var schoolsOffset = 0
        var schoolsLimit = CoverageQueries.defaultSchoolsLimit

        init(profile: String) { self.profile = profile }

        /// From the query string; a 400 names the parameter at fault.
        init(parsing query: [String: Substring]) throws {
            for (key, _) in query where !CoverageQueries.queryKeys.contains(String(key)) {
                throw APIError.badRequest(
                    "query '\(key)': unknown parameter; expected \(CoverageQueries.queryKeys.sorted().joined(separator: ", "))")
            }
            guard let name = query["profile"].map(String.init) else {
                throw APIError.badRequest("query 'profile' is required (a profile name such as national-quality-balance)")
            }
            profile = name
            if let text = query["basis"] {
                guard let b = CoverageBasis(rawValue: String(text)) else {
                    throw APIError.badRequest("query 'basis': '\(text)' is neither 'verified' nor 'declared'")
                }
                basis = b
            }
            if let text = query["at"] {
                guard let d = LocalDate(parsing: String(text)), (2000...2100).contains(d.year) else {
                    throw APIError.badRequest("query 'at': '\(text)' is not a date YYYY-MM-DD between 2000 and 2100")
                }
                at = d
            }
            if let text = query["window_days"] {
                guard let n = Int(text), (1...366).contains(n) else {
                    throw APIError.badRequest("query 'window_days': '\(text)' is not a whole number of days from 1 to 366")
                }
                windowDays = n
            }
            from = query["from"]
            to = query["to"]
            if let text = query["county"] {
                guard !text.isEmpty, text.count <= 100 else {
                    throw APIError.badRequest("query 'county': expected a county name of 1–100 characters")
                }
                county = String(text)
            }
            if let text = query["schools_offset"] {
                guard let n = Int(text), n >= 0 else {
                    throw APIError.badRequest("query 'schools_offset': '\(text)' is not a whole number ≥ 0")
                }
                schoolsOffset = n
            }
            if let text = query["schools_limit"] {
                guard let n = Int(text), (0...CoverageQueries.maxSchoolsLimit).contains(n) else {
                    throw APIError.badRequest(
                        "query 'schools_limit': '\(text)' is not a whole number from 0 to \(CoverageQueries.maxSchoolsLimit)")
                }
                schoolsLimit = n
            }
            if from != nil || to != nil, query["schools_offset"] != nil || query["schools_limit"] != nil {
                throw APIError.badRequest(
                    "query 'schools_offset'/'schools_limit' page a report's schools; a trend (from, to) has none")
            }
        }
    }

    /// A one-day report, or weekly trend points when `from`/`to` are given.
    enum Answer: Sendable {
        case report(CoverageReport)
        case trend(CoverageTrend.Document)
    }

    /// The county's time zone from the configuration (a 500 when it is wrong).
    func zone() throws -> CountyTimeZone {
        do { return try CountyTimeZone.named(configuration.timeZone) } catch {
            throw APIError(.internalServerError, "configuration", "time zone '\(configuration.timeZone)': \(error)")
        }
    }

    /// The report (or trend) `who` may see: the county's, or a school admin's own school only.
    func answer(_ who: OperatorPrincipal, _ q: Query, logger: Logger) async throws -> Answer {
        try who.require(Set(OperatorRole.allCases))
        let profile = try ProfileDirectory(configured: configuration.profilesDirectory).load(q.profile)
        let zone = try zone()
        let day = q.at ?? zone.localTime(of: Date(timeIntervalSince1970: Double(now()) / 1000)).date
        let trendDays = q.from != nil || q.to != nil ? try Self.trendDays(from: q.from, to: q.to, at: day) : nil
        var phases = RequestPhases()
        var registry = try await store.registry()
        phases.mark("registry")
        guard !registry.schools.isEmpty else {
            throw APIError(.conflict, "no_registry", "no registry imported yet (classroomctl registry import)")
        }
        if let county = try who.countyScope(asked: q.county) {
            let part = registry.filtered(county: county)
            guard !part.schools.isEmpty else {
                throw APIError.notFound(
                    "query 'county': no school in county '\(county)' (counties: \(registry.counties.joined(separator: ", ")))")
            }
            registry = part
        }
        let scope = who.role == .schoolAdmin ? (who.schoolID ?? "") : nil
        if let days = trendDays {
            let document = try await trend(
                days: days, profile: profile, registry: registry, basis: q.basis, zone: zone, windowDays: q.windowDays,
                school: scope, county: who.role == .countyAdmin ? who.county : nil, phases: &phases)
            logger.info("coverage trend", metadata: phases.metadata(registry).merging(["points": "\(days.count)"]) { $1 })
            return .trend(document)
        }
        var report = try await countyReport(
            day: day, profile: profile, registry: registry, basis: q.basis, zone: zone, windowDays: q.windowDays,
            phases: &phases)
        if let scope {
            report = CoverageScoping.school(report, scope)
        } else if who.role == .countyAdmin, let county = who.county {
            report.scope = "county:\(county)"
        }
        logger.info("coverage report", metadata: phases.metadata(registry))
        return .report(report)
    }

    /// The whole county's report for one day: on the verified basis from the store's evidence as of
    /// the end of `day`, indicators without evidence marked not measured.
    func countyReport(
        day: LocalDate, profile: TargetProfile, registry: Registry, basis: CoverageBasis, zone: CountyTimeZone,
        windowDays: Int, phases: inout RequestPhases
    ) async throws -> CoverageReport {
        var countyProfiles: [String: TargetProfile] = [:]
        let present = Set(registry.counties)
        if present.count > 1 {
            let directory = ProfileDirectory(configured: configuration.profilesDirectory)
            for (county, name) in profile.countyProfiles where present.contains(county) {
                countyProfiles[county] = try directory.load(name)
            }
        }
        var calculator = CoverageCalculator(
            profile: profile, registry: registry, basis: basis, at: day, zone: zone, windowDays: windowDays,
            countyProfiles: countyProfiles)
        var notMeasured: [NotMeasuredIndicator]?
        if basis == .verified {
            let end = Int64((calculator.now.timeIntervalSince1970 * 1000).rounded())
            let read = try await CoverageEvidenceReader(store: store, streams: streams).read(
                end: end, windowDays: windowDays, phases: &phases)
            calculator.evidence = read.evidence
            notMeasured = read.notMeasured
        }
        let report = calculator.report()
        phases.mark("compute")
        if let notMeasured, !notMeasured.isEmpty {
            return CoverageScoping.markNotMeasured(report, notMeasured)
        }
        return report
    }
}

/// Post-processing of a computed report for what the collector knows and who asks.
enum CoverageScoping {
    /// Indicators without evidence: their values become null (not 0), and the report says why.
    static func markNotMeasured(_ report: CoverageReport, _ missing: [NotMeasuredIndicator]) -> CoverageReport {
        var r = report
        let keys = Set(missing.map(\.key))
        func clear(_ list: inout [IndicatorValue]) {
            for i in list.indices where keys.contains(list[i].key) {
                list[i].value = nil
                list[i].met = nil
                list[i].cv = nil
                list[i].cvMet = nil
                list[i].differsFromDeclared = nil
            }
        }
        clear(&r.county.indicators)
        for t in (r.county.townships ?? []).indices { clear(&r.county.townships![t].indicators) }
        if r.prefecture != nil { clear(&r.prefecture!.indicators) }
        for c in (r.counties ?? []).indices {
            clear(&r.counties![c].indicators)
            for t in (r.counties![c].townships ?? []).indices { clear(&r.counties![c].townships![t].indicators) }
        }
        for s in r.schools.indices { clear(&r.schools[s].indicators) }
        if keys.contains(.recordingClassrooms) {
            r.recordingBasis = nil
            for s in r.schools.indices { r.schools[s].recordingBasis = nil }
        }
        r.notMeasured = missing
        return r
    }

    /// Only one school's row; county figures emptied.
    static func school(_ report: CoverageReport, _ schoolID: String) -> CoverageReport {
        var r = report
        r.schools = r.schools.filter { $0.schoolID == schoolID }
        r.county.indicators = []
        r.county.gaps = []
        r.county.schoolRule = []
        r.county.townships = nil
        // The county's recording-room basis is the bureau's, like its indicators; the school keeps its own.
        r.recordingBasis = r.schools.first?.recordingBasis
        // A prefecture's county rows and total would reveal other schools' figures the same way.
        r.counties = nil
        r.prefecture = nil
        r.scope = "school:\(schoolID)"
        return r
    }
}
