/// The weekly notice as a table for Excel (``CSVTable``: UTF-8 with BOM, CRLF, formula-safe): one
/// row per called lesson with its result, evaluations, item means and whether it is followed up.
public enum SpotCheckNoticeCSV {
    public static func table(_ n: SpotCheckNotice, language: ReportLanguage) -> CSVTable {
        let l = NoticeLabels(language: language)
        let header =
            [
                l.t("周次", "week"), l.t("学校编号", "school_id"), l.t("学校", "school"), l.t("教师编号", "teacher_id"),
                l.t("教师", "teacher"), l.t("星期", "weekday"), l.t("开始", "start"), l.t("结束", "end"),
                l.t("学科", "subject"), l.t("教室", "room"), l.t("点课编号", "order"), l.t("开课情况", "result"),
                l.t("原因或说明", "reason"), l.t("评课份数", "evaluations"),
            ] + n.rubric.map { l.item($0) + l.t("平均分", " mean") } + [l.t("需跟进", "follow up")]
        var table = CSVTable(header: header)
        let followed = Dictionary(n.followUp.map { ($0.orderID, $0) }) { a, _ in a }
        for school in n.schools {
            for x in school.lessons {
                let follow = followed[x.orderID].map { SpotCheckNoticeHTML.line($0, n, l) } ?? ""
                table.rows.append(
                    [
                        n.week, school.id, school.name, x.teacherID, x.teacherName, l.weekday(x.weekday), x.start, x.end,
                        x.subject, x.room, x.orderID, l.status(x.status), l.reason(x.reason, zh: x.reasonZh),
                        String(x.evaluations),
                    ] + n.rubric.map { x.means[$0.key].map(l.mean) ?? "" } + [follow])
            }
        }
        return table
    }
}
