#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Weekly points of the county's indicators, for trend lines (`--from/--to`).
public enum CoverageTrend {
    /// The longest range of one trend: three years of weekly points.
    public static let maximumDays = 366 * 3

    /// One week's county indicators.
    public struct Point: Codable, Sendable, Hashable {
        /// The ISO week, such as `2026-W48`.
        public var week: String
        /// The report day of the point: the week's Sunday, or the last requested day.
        public var at: String
        public var indicators: [IndicatorValue]
        /// With more than one county: each county's indicators at this point, its CV between its own
        /// schools (the top-level `indicators` are then the prefecture total, CV null); nil otherwise.
        public var counties: [CountyPoint]?

        public init(week: String, at: String, indicators: [IndicatorValue], counties: [CountyPoint]? = nil) {
            self.week = week
            self.at = at
            self.indicators = indicators
            self.counties = counties
        }
    }

    /// One county's indicators at a point of a prefecture's trend.
    public struct CountyPoint: Codable, Sendable, Hashable {
        public var name: String
        public var indicators: [IndicatorValue]

        public init(name: String, indicators: [IndicatorValue]) {
            self.name = name
            self.indicators = indicators
        }
    }

    /// The trend's JSON, shared by `classroomctl coverage report --from … --format json` and
    /// `GET /api/v1/coverage?from=…`: `{"profile", "basis", "points": [{"week", "at", "indicators"}]}`.
    public struct Document: Codable, Sendable, Hashable {
        public var profile: String
        public var basis: CoverageBasis
        /// From a collector for a school admin: `school:<id>`, and the points carry that school's
        /// indicators instead of the county's.
        public var scope: String?
        /// From a collector: indicators it has no evidence for yet (their values are null).
        public var notMeasured: [NotMeasuredIndicator]?
        public var points: [Point]

        public init(
            profile: String, basis: CoverageBasis, scope: String? = nil, notMeasured: [NotMeasuredIndicator]? = nil,
            points: [Point]
        ) {
            self.profile = profile
            self.basis = basis
            self.scope = scope
            self.notMeasured = notMeasured
            self.points = points
        }

        enum CodingKeys: String, CodingKey {
            case profile, basis, scope, points
            case notMeasured = "not_measured"
        }

        /// Pretty-printed, sorted keys, a final newline (like ``CoverageJSON``).
        public func encoded() throws -> [UInt8] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return Array(try encoder.encode(self)) + [0x0A]
        }

        /// Reads a trend back (the CLI renders a collector's answer as a table).
        public static func decode(_ bytes: [UInt8]) throws -> Document {
            try JSONDecoder().decode(Document.self, from: Data(bytes))
        }
    }

    /// Why a range cannot be a trend, naming the bound at fault.
    public enum RangeProblem: Error, Sendable, Hashable {
        /// `from` is after `to`.
        case reversed
        /// More than ``maximumDays`` days.
        case tooLong
    }

    /// Checks `from...to` (inclusive) for a trend: in order and at most three years.
    public static func check(from: LocalDate, to: LocalDate) -> RangeProblem? {
        if from > to { return .reversed }
        if to.daysSinceEpoch - from.daysSinceEpoch > maximumDays { return .tooLong }
        return nil
    }

    /// The report days of the weekly points from `from` to `to` (inclusive): the Sunday of each ISO
    /// week, the last one clipped to `to`. Empty when `to` is before `from`.
    public static func days(from: LocalDate, to: LocalDate) -> [LocalDate] {
        guard from <= to else { return [] }
        var out: [LocalDate] = []
        var week = ISOWeek(containing: from)
        while true {
            let sunday = week.date(weekday: 7)
            if sunday >= to {
                out.append(to)
                return out
            }
            out.append(sunday)
            week = week.next
        }
    }

    /// The county indicators of each report, as points (reports in date order); with `school`, that
    /// school's indicators instead (empty when the report has no such school). A prefecture's points
    /// add each county's indicators (``Point/counties``): its CV is a per-county series.
    public static func points(_ reports: [CoverageReport], school: String? = nil) -> [Point] {
        reports.map { r in
            let day = LocalDate(parsing: r.at)
            let indicators =
                school.map { id in r.schools.first { $0.schoolID == id }?.indicators ?? [] } ?? r.county.indicators
            let counties = school == nil ? r.counties?.map { CountyPoint(name: $0.name, indicators: $0.indicators) } : nil
            return Point(
                week: day.map { ISOWeek(containing: $0).description } ?? "", at: r.at, indicators: indicators,
                counties: counties)
        }
    }
}
