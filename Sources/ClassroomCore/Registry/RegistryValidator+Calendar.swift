/// The checks of the optional `calendar.csv`: `date,kind,note` and optionally `timetable_weekday`.
extension RegistryValidator {
    /// Parses `2026-09-01`, and `2026/9/1` as Excel in a Chinese locale saves dates.
    static func calendarDate(_ text: String) -> LocalDate? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "-" || $0 == "/" }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m),
            (1...LocalDate.daysIn(year: y, month: m)).contains(d)
        else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// Checks the calendar's rows; the calendar, or nil when it has problems.
    mutating func calendar(_ t: CSVTable) -> TermCalendar? {
        let before = problems.count
        var rows: [(line: Int, day: CalendarDay)] = []
        var firstLine: [LocalDate: Int] = [:]
        for row in t.rows {
            let dateText = t.value(row, "date") ?? ""
            let date = Self.calendarDate(dateText)
            if date == nil { problem(t.file, row.line, "date", "'\(dateText)' is not a date YYYY-MM-DD") }
            let kindText = t.value(row, "kind") ?? ""
            let kind = CalendarDay.Kind(rawValue: kindText)
            if kind == nil {
                problem(
                    t.file, row.line, "kind",
                    "'\(kindText)' is not one of \(CalendarDay.Kind.allCases.map(\.rawValue).joined(separator: "|"))")
            }
            var follows: Int?
            if let text = t.value(row, "timetable_weekday"), !text.isEmpty {
                follows = Int(text).flatMap { (1...7).contains($0) ? $0 : nil }
                if follows == nil {
                    problem(t.file, row.line, "timetable_weekday", "'\(text)' is not a weekday 1 (Monday) … 7 (Sunday)")
                } else if let kind, kind != .workday {
                    problem(t.file, row.line, "timetable_weekday", "only a workday follows another weekday's timetable")
                    follows = nil
                }
            }
            guard let date, let kind else { continue }
            if let first = firstLine[date] {
                problem(t.file, row.line, "date", "duplicate date \(date) (first on line \(first))")
                continue
            }
            firstLine[date] = row.line
            if kind == .workday, follows == nil, date.weekday >= 6 {
                warning(
                    t.file, row.line, "timetable_weekday",
                    "make-up day \(date) follows the timetable of its own weekday \(date.weekday); "
                        + "give the weekday (1–5) whose timetable it follows")
            }
            rows.append(
                (row.line, CalendarDay(date: date, kind: kind, note: t.value(row, "note") ?? "", timetableWeekday: follows)))
        }
        terms(t.file, rows)
        let calendar = TermCalendar(days: rows.map(\.day))
        for row in rows where row.day.kind == .workday && calendar.term(containing: row.day.date) == nil {
            warning(t.file, row.line, "date", "workday \(row.day.date) lies outside every term; it is a school day all the same")
        }
        let weekend = lessons.lazy.filter { $0.weekday >= 6 }.count
        if weekend > 0 {
            warning(
                t.file, 0, "",
                "the timetable has \(weekend) lesson(s) on Saturdays or Sundays; with a calendar they run only on days "
                    + "listed as workday")
        }
        return problems.count == before ? calendar : nil
    }

    /// Pairs term starts and ends in date order: every term ends after it starts, terms do not
    /// overlap, and the calendar has at least one term.
    private mutating func terms(_ file: String, _ rows: [(line: Int, day: CalendarDay)]) {
        let marks = rows.filter { $0.day.kind == .termStart || $0.day.kind == .termEnd }.sorted { $0.day.date < $1.day.date }
        var open: (line: Int, day: CalendarDay)?
        var found: [RegistryProblem] = []
        // An overlapping term's own end comes later; it is not a second problem.
        var unmatchedEnds = 0
        var orphanEnds: [(line: Int, day: CalendarDay)] = []
        for mark in marks {
            switch (mark.day.kind, open) {
            case (.termStart, nil):
                open = mark
            case (.termStart, let current?):
                found.append(
                    RegistryProblem(
                        file: file, line: mark.line, field: "date",
                        message:
                            "term_start \(mark.day.date) is inside the term that starts \(current.day.date) (line \(current.line)) "
                            + "and has not ended: terms overlap"))
                unmatchedEnds += 1
            case (.termEnd, _?):
                open = nil
            case (.termEnd, nil) where unmatchedEnds > 0:
                unmatchedEnds -= 1
            case (.termEnd, nil):
                orphanEnds.append(mark)
            default:
                continue
            }
        }
        // A term whose end was written before its start: one problem, not an orphan end and an open term.
        if let open, let end = orphanEnds.popLast() {
            found.append(
                RegistryProblem(
                    file: file, line: end.line, field: "date",
                    message: "term_end \(end.day.date) is before term_start \(open.day.date) (line \(open.line))"))
        } else if let open {
            found.append(
                RegistryProblem(
                    file: file, line: open.line, field: "date", message: "the term that starts \(open.day.date) has no term_end"))
        }
        if marks.isEmpty {
            found.append(
                RegistryProblem(
                    file: file, line: 1, field: "",
                    message: "no term: give each term's first and last day as term_start and term_end rows"))
        }
        for end in orphanEnds {
            found.append(
                RegistryProblem(
                    file: file, line: end.line, field: "date", message: "term_end \(end.day.date) has no term_start before it"))
        }
        problems.append(contentsOf: found.sorted { $0.line < $1.line })
    }
}
