/// The weekly notice (通报) as printable A4 HTML, in Chinese in the register of a bureau notice or
/// in English: issuer, title, the week, the called teachers by school with what became of each
/// lesson, the evaluation summary, whom to follow up, the sign-off date.
///
/// ``fragment(_:language:)`` is the notice with its own scoped stylesheet (the console puts it in
/// its layout); ``document(_:language:)`` wraps it in a whole page (`classroomctl spotcheck notice`).
public enum SpotCheckNoticeHTML {
    /// A standalone HTML page.
    public static func document(_ n: SpotCheckNotice, language: ReportLanguage) -> String {
        let l = NoticeLabels(language: language)
        return """
            <!DOCTYPE html>
            <html lang="\(language.htmlTag)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(esc(title(n, l)))</title></head>
            <body>
            \(fragment(n, language: language))
            </body></html>

            """
    }

    /// The notice as an `<article>` with its stylesheet.
    public static func fragment(_ n: SpotCheckNotice, language: ReportLanguage) -> String {
        let l = NoticeLabels(language: language)
        var h = "<style>\(stylesheet)</style>\n<article class=\"notice\" id=\"notice\" lang=\"\(language.htmlTag)\">\n"
        h += "<p class=\"issuer\">\(esc(l.issuer(n.county)))</p>\n"
        h += "<h1>\(esc(title(n, l)))</h1>\n"
        h +=
            "<p class=\"period\">\(esc(l.t("（", "(") + l.date(n.monday) + l.t("—", " – ") + l.date(n.sunday) + l.t("）", ")")))</p>\n"
        h += "<p class=\"salutation\">\(l.t("各学校：", "To all schools:"))</p>\n"
        h += "<p>\(esc(intro(n, l)))</p>\n"
        h += "<h2>\(l.t("一、总体情况", "1. Overview"))</h2>\n<p id=\"notice-totals\">\(esc(totals(n, l)))</p>\n"
        h += "<h2>\(l.t("二、点课教师及开课情况", "2. Called teachers and their lessons"))</h2>\n" + lessons(n, l)
        h += "<h2>\(l.t("三、评课情况", "3. Lesson evaluations"))</h2>\n" + evaluation(n, l)
        h += "<h2>\(l.t("四、需跟进的教师和学校", "4. Teachers and schools to follow up"))</h2>\n" + followUp(n, l)
        h +=
            "<div class=\"sign-off\"><p>\(esc(l.issuer(n.county)))</p><p id=\"notice-date\">\(esc(l.date(n.issuedOn)))</p></div>\n"
        return h + "</article>\n"
    }

    static func title(_ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        l.t("关于\(l.week(n.week))随机点课直播情况的通报", "Notice on the random live-lesson spot-check, \(l.week(n.week))")
    }

    static func intro(_ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        l.t(
            "按照随机点课直播工作安排，本周从全县随机抽取 \(n.totals.called) 名教师（涉及 \(n.totals.schools) 所学校）通过网络直播授课，教研员和教育体育局在线观课、评课。现将有关情况通报如下。",
            "As planned, \(n.totals.called) teachers in \(n.totals.schools) schools were drawn at random this week to teach live on the network, watched and evaluated by the teaching researchers and the bureau. The results follow."
        )
    }

    static func totals(_ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        let t = n.totals
        var s = l.t(
            "本周共点课 \(t.called) 节，已开课 \(t.conducted) 节，未开课（无正当理由）\(t.notConducted) 节，请假 \(t.excused) 节，待开课 \(t.pending) 节。",
            "\(t.called) lessons called: \(t.conducted) conducted, \(t.notConducted) not conducted without excuse, \(t.excused) excused, \(t.pending) pending."
        )
        if let hidden = n.hidden, hidden > 0 {
            s += l.t("另有 \(hidden) 节尚未开始，开课后列入。", " \(hidden) more are listed once their lesson starts.")
        }
        return s
    }

    static func lessons(_ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        guard !n.schools.isEmpty else { return "<p class=\"none\">\(l.t("本周没有点课。", "No lessons were called this week."))</p>\n" }
        var h = "<table class=\"notice-table\" id=\"notice-lessons\"><colgroup><col style=\"width:18%\"><col style=\"width:27%\">"
        h += "<col style=\"width:17%\"><col style=\"width:28%\"><col style=\"width:10%\"></colgroup>\n<thead><tr>"
        for c in [l.t("教师", "Teacher"), l.t("课程", "Lesson"), l.t("开课情况", "Result"), l.t("原因或说明", "Reason"), l.t("评课", "Evals")] {
            h += "<th>\(c)</th>"
        }
        h += "</tr></thead>\n<tbody>\n"
        for school in n.schools {
            h += "<tr class=\"school\"><th colspan=\"5\">\(esc(school.name))</th></tr>\n"
            for x in school.lessons {
                let failed = NoticeLesson.failures.contains(x.status)
                h += "<tr data-order=\"\(esc(x.orderID))\"><td>\(esc(x.teacherName))</td>"
                h +=
                    "<td>\(esc("\(l.weekday(x.weekday)) \(x.start)–\(x.end) \(x.subject)"))<br><span class=\"small\">\(esc(x.room))</span></td>"
                h += "<td class=\"\(failed ? "bad" : "")\" data-status=\"\(esc(x.status))\">\(esc(l.status(x.status)))</td>"
                h += "<td>\(esc(l.reason(x.reason, zh: x.reasonZh)))</td><td class=\"num\">\(x.evaluations)</td></tr>\n"
            }
        }
        return h + "</tbody></table>\n"
    }

    static func evaluation(_ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        let e = n.evaluation
        var h = "<p id=\"notice-evaluation\">"
        h += esc(
            l.t(
                "本周共收到评课 \(e.count) 份，涉及 \(e.lessons) 节课。各评课项目平均分（\(n.scaleMin)—\(n.scaleMax) 分）如下：",
                "\(e.count) evaluations of \(e.lessons) lessons. Mean score of each item (\(n.scaleMin)–\(n.scaleMax)):"))
        h += "</p>\n<table class=\"notice-table narrow\" id=\"notice-means\"><thead><tr><th>\(l.t("评课项目", "Item"))</th>"
        h += "<th class=\"num\">\(l.t("平均分", "Mean"))</th></tr></thead><tbody>\n"
        for item in n.rubric {
            h +=
                "<tr><td>\(esc(l.item(item)))</td><td class=\"num\" data-item=\"\(esc(item.key))\">\(l.mean(e.means[item.key]))</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func followUp(_ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        guard !n.followUp.isEmpty else {
            return "<p id=\"notice-follow-up-none\">\(l.t("本周没有需要跟进的教师。", "No teacher needs to be followed up this week."))</p>\n"
        }
        var h = "<ol class=\"follow-up\" id=\"notice-follow-up\">\n"
        for f in n.followUp {
            h += "<li data-kind=\"\(esc(f.kind))\">\(esc(line(f, n, l)))</li>\n"
        }
        h += "</ol>\n"
        let schools = n.followUpSchools.joined(separator: l.t("、", ", "))
        h += "<p id=\"notice-follow-up-schools\">"
        h += esc(
            l.t(
                "请\(schools)于下周内核实情况、落实整改，并将结果报教育体育局。",
                "\(schools): please check these lessons within the next week and report to the bureau."))
        return h + "</p>\n"
    }

    static func line(_ f: NoticeFollowUp, _ n: SpotCheckNotice, _ l: NoticeLabels) -> String {
        let who = "\(f.schoolName) \(f.teacherName)"
        if f.kind == "low_score" {
            let items = n.rubric.filter { f.lowItems[$0.key] != nil }.map { "\(l.item($0)) \(l.mean(f.lowItems[$0.key]))" }
            let list = items.joined(separator: l.t("，", ", "))
            return l.t(
                "\(who)：评课平均分偏低（\(list)，低于 \(l.mean(n.followUpBelow)) 分）。",
                "\(who): low evaluation scores (\(list), below \(l.mean(n.followUpBelow))).")
        }
        let reason = f.reason.isEmpty ? "" : l.t("，", ", ") + l.reason(f.reason, zh: f.reasonZh)
        return l.t("\(who)：\(l.status(f.status))\(reason)。", "\(who): \(l.status(f.status))\(reason).")
    }

    /// A4 with 15 mm margins leaves 180 mm: the notice is never wider, its tables break long words.
    static let stylesheet = """
        .notice{max-width:180mm;margin:0 auto;padding:6mm 0;color:#000;background:#fff;line-height:1.7;\
        font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",SimSun,serif;font-size:12pt}\
        .notice .issuer{text-align:center;color:#c00;font-size:20pt;font-weight:700;letter-spacing:.15em;\
        border-bottom:2px solid #c00;padding-bottom:3mm;margin:0 0 6mm;text-indent:0}\
        .notice h1{text-align:center;font-size:16pt;margin:0 0 1mm;line-height:1.4}\
        .notice .period{text-align:center;margin:0 0 5mm;text-indent:0}\
        .notice h2{font-size:13pt;margin:5mm 0 2mm;border:none}\
        .notice p{text-indent:2em;margin:0 0 2mm}.notice p.salutation{text-indent:0}\
        .notice table.notice-table{width:100%;max-width:100%;border-collapse:collapse;table-layout:fixed;font-size:10.5pt;margin:0 0 2mm}\
        .notice table.narrow{width:60%}\
        .notice .notice-table th,.notice .notice-table td{border:1px solid #000;padding:1mm 1.5mm;vertical-align:top;\
        text-align:left;overflow-wrap:anywhere;word-break:break-word;background:none;color:#000}\
        .notice .notice-table tr.school th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}\
        .notice .notice-table .num{text-align:right}.notice .bad{font-weight:700}.notice .small{font-size:9pt}\
        .notice ol.follow-up{margin:0 0 2mm 2em;padding:0}\
        .notice .sign-off{margin-top:10mm;text-align:right}.notice .sign-off p{text-indent:0;margin:0}\
        @media print{@page{size:A4;margin:15mm}.notice{max-width:none;padding:0}.notice tr{break-inside:avoid}\
        .site-header,.site-footer,.site-nav,.flash,.notice-tools{display:none!important}}
        """
}
