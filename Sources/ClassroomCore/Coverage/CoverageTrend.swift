/// Weekly points of the county's indicators, for trend lines (`--from/--to`).
public enum CoverageTrend {
    /// One week's county indicators.
    public struct Point: Codable, Sendable, Hashable {
        /// The ISO week, such as `2026-W48`.
        public var week: String
        /// The report day of the point: the week's Sunday, or the last requested day.
        public var at: String
        public var indicators: [IndicatorValue]
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

    /// The county indicators of each report, as points (reports in date order).
    public static func points(_ reports: [CoverageReport]) -> [Point] {
        reports.map { r in
            let day = LocalDate(parsing: r.at)
            return Point(week: day.map { ISOWeek(containing: $0).description } ?? "", at: r.at, indicators: r.county.indicators)
        }
    }
}
