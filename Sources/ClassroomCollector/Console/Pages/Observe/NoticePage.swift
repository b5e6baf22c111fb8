import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/spotchecks/{week}/notice`: the weekly notice (通报) as a printable A4 document in the viewer's
/// language (``ClassroomReports/SpotCheckNoticeHTML``, the renderer of `classroomctl spotcheck
/// notice`), `?format=csv` for Excel. Every signed-in role; a school admin sees its own school's part,
/// a county admin its county's.
struct NoticePage: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("spotchecks/:week/notice") { request, context in
            let viewer = try await console.auth.requireViewer(request, roles: OperatorRole.readers)
            let text = try context.parameters.require("week")
            guard let week = ISOWeek(parsing: text) else {
                throw ConsoleFailure.badRequest("week '\(text)': not an ISO week such as 2026-W48")
            }
            let notice = try await console.page {
                try await console.spotchecks.notice(
                    viewer.principal, week: week, rubric: console.configuration.observation.rubric)
            }
            let language: ReportLanguage = viewer.language == .en ? .en : .zh
            if ConsoleCSV.wanted(request) {
                return ConsoleCSV.response(
                    SpotCheckNoticeCSV.table(notice, language: language), filename: "notice-\(week).csv")
            }
            let t = viewer.text
            let tools = """
                <nav class="pager no-print notice-tools"><a href="/spotchecks?week=\(week)">← \(t.t("notice_back"))</a> \
                <a class="button-link" href="/spotchecks/\(week)/notice?format=csv">\(t.t("csv_export"))</a> \
                <span class="muted small">\(t.t("notice_print_hint"))</span></nav>

                """
            return try await console.renderer.page(
                request, viewer: viewer, title: t.t("notice_title"), section: .spotchecks,
                bodyHTML: tools + SpotCheckNoticeHTML.fragment(notice, language: language))
        }
    }
}
