import ClassroomCore

/// The observation quotas as a table for Excel (``CSVTable``): one row per principal and
/// vice-principal, then the term's school coverage.
public enum ObservationQuotaCSV {
    public static func table(_ r: ObservationQuotaReport, language: ReportLanguage) -> CSVTable {
        let zh = language == .zh
        var table = CSVTable(
            header: zh
                ? ["周次", "学校编号", "学校", "教师编号", "姓名", "职务", "账号", "本周听课节数", "要求", "是否达标"]
                : ["week", "school_id", "school", "teacher_id", "name", "position", "users", "observed", "quota", "met"])
        for p in r.principals {
            table.rows.append([
                r.week, p.schoolID, p.schoolName, p.teacherID, p.name, zh ? p.position.zh : p.position.en,
                p.users.joined(separator: ";"), String(p.observed), String(p.quota),
                p.met ? (zh ? "是" : "yes") : (zh ? "否" : "no"),
            ])
        }
        let c = r.coverage
        table.rows.append([
            "\(r.termStart)~\(r.termEnd)", "", zh ? "学期听课学校覆盖率" : "term school coverage", "", "", "",
            "\(c.observed.count)/\(c.schools)", CSVTable.number(c.share), CSVTable.number(c.target),
            c.met ? (zh ? "是" : "yes") : (zh ? "否" : "no"),
        ])
        return table
    }
}
