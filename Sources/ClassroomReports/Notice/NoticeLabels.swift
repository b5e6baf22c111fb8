/// The notice's words in Chinese (the register of a bureau notice) and English.
struct NoticeLabels {
    let language: ReportLanguage

    var zh: Bool { language == .zh }

    func status(_ s: String) -> String {
        let zhNames = [
            "conducted": "已开课", "partial": "未完整开课", "not_conducted": "未开课", "device_offline": "设备离线",
            "device_fault": "设备故障", "excused": "已请假（有正当理由）", "pending": "待开课",
        ]
        let enNames = [
            "conducted": "conducted", "partial": "partly conducted", "not_conducted": "not conducted",
            "device_offline": "device offline", "device_fault": "device fault", "excused": "excused", "pending": "pending",
        ]
        return (zh ? zhNames[s] : enNames[s]) ?? s
    }

    func weekday(_ d: Int) -> String {
        let zhDays = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        let enDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        guard (1...7).contains(d) else { return "\(d)" }
        return zh ? zhDays[d - 1] : enDays[d - 1]
    }

    func item(_ item: NoticeRubricItem) -> String { zh ? item.zh : item.en }

    /// `2026-11-23` as `2026年11月23日` (zh) or as is.
    func date(_ iso: String) -> String {
        let p = iso.split(separator: "-")
        guard zh, p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return iso }
        return "\(y)年\(m)月\(d)日"
    }

    /// `2026-W48` as `2026年第48周`.
    func week(_ w: String) -> String {
        let p = w.split(separator: "-")
        guard p.count == 2, let y = Int(p[0]), let n = Int(p[1].dropFirst()) else { return w }
        return zh ? "\(y)年第\(n)周" : "week \(n) of \(y)"
    }

    func issuer(_ county: String) -> String {
        if zh { return county.isEmpty ? "教育体育局" : "\(county)教育体育局" }
        return county.isEmpty ? "Education and Sports Bureau" : "\(county) Education and Sports Bureau"
    }

    func mean(_ v: Double?) -> String {
        guard let v else { return "—" }
        var s = String(Int((v * 100).rounded()))
        while s.count < 3 { s = "0" + s }
        return String(s.dropLast(2)) + "." + String(s.suffix(2))
    }

    func t(_ zhText: String, _ enText: String) -> String { zh ? zhText : enText }

    /// A lesson's reason in this language (the English one when the notice has no Chinese one).
    func reason(_ english: String, zh zhText: String?) -> String { zh ? zhText ?? english : english }
}
