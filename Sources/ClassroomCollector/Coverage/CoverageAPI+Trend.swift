import ClassroomCore
import Hummingbird

/// `GET /api/v1/coverage?profile=NAME&from=YYYY-MM-DD[&to=YYYY-MM-DD]`: weekly trend points.
///
/// Each point is a whole report for its day (the Sunday of each ISO week, the last point on `to`),
/// computed from the store's evidence as of the end of that day, so the line shows when evidence
/// appeared. The registry is today's (the collector keeps no registry history).
///
/// Roles: bureau_admin, bureau_viewer, observer and auditor get the county's indicators. A school_admin gets
/// its own school's indicators at each point, with `scope` = `school:<id>`, never the county's:
/// the county line is the bureau's business, as in the one-day report.
///
/// A prefecture (several counties, no `county=`): each point's `indicators` are the prefecture total
/// (CV null, as in the report) and `counties` holds each county's indicators with its own CV, so a
/// prefecture clerk reads one line per county; `county=` (a county admin: its own, `scope` =
/// `county:<name>`) gives that county's points alone.
extension CoverageQueries {
    /// The report days of `from`/`to` (`to` defaults to the report day `at`), or a 400 naming the
    /// parameter: both dates, `from` ≤ `to`, at most ``CoverageTrend/maximumDays`` apart.
    static func trendDays(from fromQuery: Substring?, to toQuery: Substring?, at day: LocalDate) throws -> [LocalDate] {
        guard let fromText = fromQuery else {
            throw APIError.badRequest("query 'to' needs 'from' (the first day of the weekly points)")
        }
        let from = try date(fromText, name: "from")
        let to = try toQuery.map { try date($0, name: "to") } ?? day
        switch CoverageTrend.check(from: from, to: to) {
        case .reversed:
            throw APIError.badRequest("query 'from': \(from) is after 'to' \(to)")
        case .tooLong:
            throw APIError.badRequest(
                "query 'to': \(to) is more than \(CoverageTrend.maximumDays) days (three years) after 'from' \(from)")
        case nil:
            return CoverageTrend.days(from: from, to: to)
        }
    }

    static func date(_ text: Substring, name: String) throws -> LocalDate {
        guard let d = LocalDate(parsing: String(text)), (2000...2100).contains(d.year) else {
            throw APIError.badRequest("query '\(name)': '\(text)' is not a date YYYY-MM-DD between 2000 and 2100")
        }
        return d
    }

    /// One report per day, as points of the county (or of `school` for a school admin).
    func trend(
        days: [LocalDate], profile: TargetProfile, registry: Registry, basis: CoverageBasis, zone: CountyTimeZone,
        windowDays: Int, school: String?, county: String? = nil, phases: inout RequestPhases
    ) async throws -> CoverageTrend.Document {
        var reports: [CoverageReport] = []
        reports.reserveCapacity(days.count)
        for day in days {
            reports.append(
                try await countyReport(
                    day: day, profile: profile, registry: registry, basis: basis, zone: zone, windowDays: windowDays,
                    phases: &phases))
        }
        return CoverageTrend.Document(
            profile: profile.name, basis: basis, scope: school.map { "school:\($0)" } ?? county.map { "county:\($0)" },
            notMeasured: reports.last?.notMeasured, points: CoverageTrend.points(reports, school: school))
    }
}
