import ClassroomCore

/// The registry's term calendar (`calendar.csv`) as stored by both stores: one row per calendar
/// day; no rows when the registry has no calendar (a stored calendar always has a term).
enum TermCalendarSchema {
    static let migration = CollectorSchema.Migration(
        name: "v540-term-calendar",
        statements: [
            """
            CREATE TABLE calendar_days (date TEXT PRIMARY KEY, kind TEXT NOT NULL, note TEXT NOT NULL,
              timetable_weekday {INT})
            """
        ])

    /// The calendar of stored rows `(date, kind, note, timetable_weekday)`; nil without rows. Rows the
    /// code no longer understands are left out rather than failing every read.
    static func calendar(_ rows: [(date: String, kind: String, note: String, timetableWeekday: Int?)]) -> TermCalendar? {
        guard !rows.isEmpty else { return nil }
        return TermCalendar(
            days: rows.compactMap { row in
                guard let date = LocalDate(parsing: row.date), let kind = CalendarDay.Kind(rawValue: row.kind) else { return nil }
                return CalendarDay(date: date, kind: kind, note: row.note, timetableWeekday: row.timetableWeekday)
            })
    }
}
