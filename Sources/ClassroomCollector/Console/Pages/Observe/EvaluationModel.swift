import ClassroomCore
import Foundation

/// What the evaluation page shows: the lesson, the form (prefilled with the viewer's evaluation or
/// the refused submission) and the evaluations of the lesson.
struct EvaluationModel: Sendable {
    struct Choice: Sendable {
        var value: Int
        var checked: Bool
    }
    struct FormItem: Sendable {
        var key: String
        var label: String
        var choices: [Choice]
    }
    struct Row: Sendable {
        var evaluator: String
        var role: String
        var scores: [String]
        var mean: String
        var comment: String
        var updated: String
        var mine: Bool
    }

    var orderID: String
    var lesson: String
    var teacher: String
    var school: String
    var room: String
    var action: String
    var watchHref: String
    var recordingHref: String
    var evaluable: Bool
    var canSubmit: Bool
    var locked: Bool
    var editing: Bool
    var items: [FormItem]
    var headers: [String]
    var comment: String
    var commentMax: Int
    var rows: [Row]
    var rules: String

    init(
        lesson v: LessonEvaluationsView, viewer: ConsoleViewer, registry: Registry, console: ConsoleEnvironment,
        form: ConsoleForm?
    ) {
        let t = viewer.text
        let english = viewer.language == .en
        let o = v.order
        let path = "/lessons/\(o.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? o.id)"
        orderID = o.id
        lesson = "\(t.t("weekday_\(o.weekday)")) \(o.start)–\(o.end) \(o.subject) · \(o.week)"
        teacher = o.teacherName
        school = registry.schools.first { $0.id == o.schoolID }?.name ?? o.schoolID
        room = registry.rooms.first { $0.id == o.roomID }?.name ?? o.roomID
        action = path + "/evaluation"
        watchHref = path
        recordingHref = path + "/recording"
        evaluable = v.evaluable
        locked = v.mine.map { !$0.editable } ?? false
        editing = v.mine != nil
        canSubmit = v.evaluable && !locked
        let rubric = v.rubric
        items = rubric.items.map { item in
            let chosen = form?["score.\(item.key)"].flatMap { Int($0) } ?? v.mine?.scores[item.key]
            return FormItem(
                key: item.key, label: item.label(english: english),
                choices: (rubric.scaleMin...rubric.scaleMax).map { Choice(value: $0, checked: $0 == chosen) })
        }
        headers = rubric.items.map { $0.label(english: english) }
        comment = form?["comment"] ?? v.mine?.comment ?? ""
        commentMax = rubric.commentMax
        rows = v.evaluations.map { e in
            let values = rubric.items.map { e.scores[$0.key] }
            let present = values.compactMap { $0 }
            let mean = present.isEmpty ? "—" : String(format: "%.1f", Double(present.reduce(0, +)) / Double(present.count))
            return Row(
                evaluator: e.evaluatorName, role: t.t("role_" + e.evaluatorRole),
                scores: values.map { $0.map(String.init) ?? "—" },
                mean: mean, comment: e.comment, updated: console.time(e.updatedAt), mine: e.evaluator == viewer.actor)
        }
        rules = t.t("eval_rules", String(rubric.scaleMin), String(rubric.scaleMax), String(rubric.editDays))
    }
}
