/// An ISO 8601 week, written `2026-W48`: Monday to Sunday, week 1 holds the year's first Thursday.
public struct ISOWeek: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var week: Int

    /// - Important: `week` must be within the year's 52 or 53 weeks; use ``init(parsing:)`` for input.
    public init(year: Int, week: Int) {
        precondition(week >= 1 && week <= ISOWeek.weeks(inYear: year), "no week \(week) in \(year)")
        self.year = year
        self.week = week
    }

    /// The week that contains `date`.
    public init(containing date: LocalDate) {
        let thursday = date.adding(days: 4 - date.weekday)
        let year = thursday.year
        let jan1 = LocalDate(year: year, month: 1, day: 1).daysSinceEpoch
        self.year = year
        self.week = (thursday.daysSinceEpoch - jan1) / 7 + 1
    }

    /// Parses `YYYY-Www` (as `2026-W48`); nil when malformed or the week does not exist.
    public init?(parsing text: some StringProtocol) {
        let s = String(text)
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 2, p[0].count == 4, let y = Int(p[0]), p[1].count == 3, p[1].first == "W" || p[1].first == "w",
            let w = Int(p[1].dropFirst()), w >= 1, w <= ISOWeek.weeks(inYear: y)
        else { return nil }
        self.init(year: y, week: w)
    }

    /// 52 or 53.
    public static func weeks(inYear year: Int) -> Int {
        ISOWeek(containing: LocalDate(year: year, month: 12, day: 28)).week
    }

    /// The Monday of this week.
    public var monday: LocalDate {
        let jan4 = LocalDate(year: year, month: 1, day: 4)
        return jan4.adding(days: 1 - jan4.weekday + (week - 1) * 7)
    }

    /// The date of an ISO weekday (1 = Monday … 7 = Sunday) in this week.
    public func date(weekday: Int) -> LocalDate { monday.adding(days: weekday - 1) }

    public func adding(weeks n: Int) -> ISOWeek { ISOWeek(containing: monday.adding(days: 7 * n)) }
    public var next: ISOWeek { adding(weeks: 1) }
    public var previous: ISOWeek { adding(weeks: -1) }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.week) < (b.year, b.week) }

    /// `YYYY-Www`.
    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ISOWeek(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an ISO week YYYY-Www: '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
