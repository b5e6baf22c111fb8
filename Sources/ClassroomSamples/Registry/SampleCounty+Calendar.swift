import ClassroomCore

extension SampleCounty {
    /// The sample county's school year 2026–27 (校历), as a Yunnan county would publish it.
    ///
    /// The public holidays and make-up workdays of autumn 2026 are those of the State Council's
    /// notice on the 2026 holidays (国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04): Mid-Autumn
    /// 9-25…27, National Day 10-01…07, worked Sunday 9-20 and Saturday 10-10. Everything else —
    /// the term dates, the 2027 holidays and which weekday's timetable a make-up day follows — is
    /// modelled on the pattern of the Yunnan provincial school calendar (autumn term from 1 September,
    /// a winter break around the Spring Festival, the spring term to early July), not copied from an
    /// official document: the 2027 holidays had not been published when it was written.
    public static let yunnanCalendar2026: TermCalendar = {
        func day(_ text: String, _ kind: CalendarDay.Kind, _ note: String, follows: Int? = nil) -> CalendarDay {
            CalendarDay(date: LocalDate(parsing: text)!, kind: kind, note: note, timetableWeekday: follows)
        }
        return TermCalendar(days: [
            day("2026-09-01", .termStart, "2026年秋季学期开学"),
            day("2026-09-20", .workday, "国庆节调休上班，按周二课表", follows: 2),
            day("2026-09-25", .holiday, "中秋节"),
            day("2026-10-01", .holiday, "国庆节"),
            day("2026-10-02", .holiday, "国庆节"),
            day("2026-10-05", .holiday, "国庆节"),
            day("2026-10-06", .holiday, "国庆节"),
            day("2026-10-07", .holiday, "国庆节"),
            day("2026-10-10", .workday, "国庆节调休上班，按周三课表", follows: 3),
            day("2027-01-01", .holiday, "元旦"),
            day("2027-01-22", .termEnd, "秋季学期结束，寒假开始"),
            day("2027-02-05", .holiday, "春节（寒假中）"),
            day("2027-02-08", .holiday, "春节（寒假中）"),
            day("2027-02-09", .holiday, "春节（寒假中）"),
            day("2027-02-10", .holiday, "春节（寒假中）"),
            day("2027-02-11", .holiday, "春节（寒假中）"),
            day("2027-02-12", .holiday, "春节（寒假中）"),
            day("2027-02-22", .termStart, "2027年春季学期开学"),
            day("2027-04-05", .holiday, "清明节"),
            day("2027-04-25", .workday, "劳动节调休上班，按周二课表", follows: 2),
            day("2027-05-03", .holiday, "劳动节"),
            day("2027-05-04", .holiday, "劳动节"),
            day("2027-05-05", .holiday, "劳动节"),
            day("2027-05-08", .workday, "劳动节调休上班，按周三课表", follows: 3),
            day("2027-06-09", .holiday, "端午节"),
            day("2027-07-09", .termEnd, "春季学期结束，暑假开始"),
        ])
    }()
}
