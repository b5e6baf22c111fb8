/// One row of `calendar.csv`: a term's first or last day, a holiday, or a make-up workday (调休).
public struct CalendarDay: Codable, Sendable, Hashable {
    /// What a calendar row says about its date.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// The first day of a term (开学), inclusive.
        case termStart = "term_start"
        /// The last day of a term, inclusive.
        case termEnd = "term_end"
        /// A day off inside a term (法定节假日, 调休放假).
        case holiday
        /// A make-up school day (调休上班), usually a Saturday or Sunday.
        case workday
    }

    public var date: LocalDate
    public var kind: Kind
    public var note: String
    /// For a `workday`: the ISO weekday (1 = Monday … 7) whose timetable the day follows (按周一课表);
    /// nil for its own weekday.
    public var timetableWeekday: Int?

    public init(date: LocalDate, kind: Kind, note: String = "", timetableWeekday: Int? = nil) {
        self.date = date
        self.kind = kind
        self.note = note
        self.timetableWeekday = timetableWeekday
    }
}

/// The county's school year (校历): terms, holidays and make-up workdays, so that draws and usage
/// count school days only.
///
/// A date is a school day when it is a `workday`, or a Monday to Friday inside a term that is not a
/// `holiday`. On a school day the timetable of its weekday runs; on a make-up workday, the timetable
/// of the weekday it names. Without `calendar.csv` the registry uses ``unrestricted``: every date
/// runs its weekday's timetable, as before calendars existed.
///
/// - Important: build one from validated rows (``RegistryLoader`` checks dates, kinds, overlapping
///   terms and duplicate dates); the initializer pairs term starts and ends in date order.
public struct TermCalendar: Sendable, Hashable {
    /// A term (学期) from its first to its last day, both inclusive.
    public struct Term: Codable, Sendable, Hashable {
        public var first: LocalDate
        public var last: LocalDate

        public init(first: LocalDate, last: LocalDate) {
            self.first = first
            self.last = last
        }
    }

    /// The rows, in date order; empty for ``unrestricted``.
    public let days: [CalendarDay]
    /// The terms, in date order.
    public let terms: [Term]
    /// False only for ``unrestricted``.
    public let restricts: Bool
    private let byDate: [LocalDate: CalendarDay]

    public init(days: [CalendarDay]) {
        self.init(days: days, restricts: true)
    }

    private init(days: [CalendarDay], restricts: Bool) {
        let sorted = days.sorted { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        self.days = sorted
        self.restricts = restricts
        byDate = Dictionary(sorted.map { ($0.date, $0) }, uniquingKeysWith: { a, _ in a })
        var terms: [Term] = []
        var open: LocalDate?
        for day in sorted {
            switch day.kind {
            case .termStart: open = day.date
            case .termEnd:
                if let first = open { terms.append(Term(first: first, last: day.date)) }
                open = nil
            default: continue
            }
        }
        self.terms = terms
    }

    /// No calendar: every date runs its weekday's timetable (weekend lessons included).
    public static let unrestricted = TermCalendar(days: [], restricts: false)

    /// The weekday whose timetable runs on `date`, or nil when `date` is not a school day.
    public func timetableWeekday(on date: LocalDate) -> Int? {
        guard restricts else { return date.weekday }
        if let day = byDate[date] {
            switch day.kind {
            case .workday: return day.timetableWeekday ?? date.weekday
            case .holiday: return nil
            case .termStart, .termEnd: break
            }
        }
        guard date.weekday <= 5, term(containing: date) != nil else { return nil }
        return date.weekday
    }

    /// Whether pupils are taught on `date`.
    public func isSchoolDay(_ date: LocalDate) -> Bool { timetableWeekday(on: date) != nil }

    /// The school days of `week`, Monday first.
    public func schoolDays(in week: ISOWeek) -> [LocalDate] {
        (1...7).map { week.date(weekday: $0) }.filter(isSchoolDay)
    }

    /// The term that contains `date`, if any.
    public func term(containing date: LocalDate) -> Term? {
        // Few terms a year: a linear scan is cheaper than anything clever.
        terms.first { $0.first <= date && date <= $0.last }
    }

    /// Why `week` has no school day, or nil when it has one.
    public func noSchool(in week: ISOWeek) -> NoSchoolWeek? {
        guard schoolDays(in: week).isEmpty else { return nil }
        let dates = (1...7).map { week.date(weekday: $0) }
        if dates.allSatisfy({ term(containing: $0) == nil }) {
            // Between terms: named after the season, as schools name their breaks.
            let month = week.date(weekday: 4).month
            let kind: NoSchoolWeek.Kind =
                switch month {
                case 12, 1, 2, 3: .winterBreak
                case 6, 7, 8, 9: .summerBreak
                default: .outsideTerms
                }
            return NoSchoolWeek(week: week, kind: kind, notes: [])
        }
        var notes: [String] = []
        for date in dates {
            if let day = byDate[date], day.kind == .holiday, !day.note.isEmpty, !notes.contains(day.note) {
                notes.append(day.note)
            }
        }
        return NoSchoolWeek(week: week, kind: .holidays, notes: notes)
    }
}

/// A week without a school day, and why: the spot-check draws nothing that week.
public struct NoSchoolWeek: Codable, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable, Hashable {
        /// 寒假.
        case winterBreak = "winter_break"
        /// 暑假.
        case summerBreak = "summer_break"
        /// Between terms, in spring or autumn.
        case outsideTerms = "outside_terms"
        /// Inside a term, every weekday a holiday.
        case holidays
    }

    public var week: ISOWeek
    public var kind: Kind
    /// The notes of the week's holidays (such as 国庆节), for ``Kind/holidays``.
    public var notes: [String]

    public init(week: ISOWeek, kind: Kind, notes: [String]) {
        self.week = week
        self.kind = kind
        self.notes = notes
    }

    /// `winter break`, or the holidays' notes.
    public var reason: String {
        switch kind {
        case .winterBreak: "winter break"
        case .summerBreak: "summer break"
        case .outsideTerms: "outside the terms"
        case .holidays: notes.isEmpty ? "holidays" : notes.joined(separator: ", ")
        }
    }

    /// `寒假`, or the holidays' notes, for the zh-CN console.
    public var chineseReason: String {
        switch kind {
        case .winterBreak: "寒假"
        case .summerBreak: "暑假"
        case .outsideTerms: "学期外"
        case .holidays: notes.isEmpty ? "假期" : notes.joined(separator: "、")
        }
    }

    /// `2027-W05 has no school day (winter break): no draw`.
    public var description: String { "\(week) has no school day (\(reason)): no draw" }

    /// `本周无教学日（寒假），不抽查`.
    public var chineseDescription: String { "本周无教学日（\(chineseReason)），不抽查" }
}
