import ClassroomCore
import ClassroomReports
import Foundation

/// The weekly notice (通报), for `GET /api/v1/spotcheck/weeks/{week}/notice`, the console's
/// `/spotchecks/{week}/notice` and `classroomctl spotcheck notice`.
extension SpotCheckQueries {
    /// The notice of `week` as `who` may see it: the rows of ``results(_:week:)`` (the same
    /// visibility and classification as `/spotchecks`) for called lessons (sources `draw` and `now`),
    /// with the evaluations of those lessons summarised by ``EvaluationRubric``.
    func notice(_ who: OperatorPrincipal, week: ISOWeek, rubric: EvaluationRubric, county: String? = nil) async throws
        -> SpotCheckNotice
    {
        // ``results(_:week:)`` already leaves patrol orders out: the notice is about called lessons.
        let results = try await results(who, week: week, county: county)
        let rows = results.results
        let registry = try await store.registry()
        let schoolNames = Dictionary(registry.schools.map { ($0.id, $0.name) }) { a, _ in a }
        let roomNames = Dictionary(registry.rooms.map { ($0.id, $0.name) }) { a, _ in a }
        let evaluations = Dictionary(grouping: try await store.lessonEvaluations(orderIDs: rows.map(\.order.id))) {
            $0.draft.orderID
        }
        func means(_ records: [LessonEvaluationRecord]) -> [String: Double] {
            var out: [String: Double] = [:]
            for item in rubric.items {
                let values = records.compactMap { $0.draft.scores[item.key] }
                if !values.isEmpty { out[item.key] = Double(values.reduce(0, +)) / Double(values.count) }
            }
            return out
        }
        var bySchool: [String: [NoticeLesson]] = [:]
        var followUp: [NoticeFollowUp] = []
        let zh = ConsoleText(language: .zhCN)
        for row in rows {
            let o = row.order
            let own = evaluations[o.id] ?? []
            let lessonMeans = means(own)
            let reason = o.excuseReason ?? row.reason
            let reasonZh = o.excuseReason ?? row.why.map(zh.reason)
            bySchool[o.schoolID, default: []].append(
                NoticeLesson(
                    orderID: o.id, teacherID: o.teacherID, teacherName: o.teacherName, room: roomNames[o.roomID] ?? o.roomID,
                    weekday: o.weekday, start: o.start, end: o.end, subject: o.subject, source: o.source,
                    status: row.status.rawValue, reason: reason, reasonZh: reasonZh, evaluations: own.count, means: lessonMeans))
            let school = schoolNames[o.schoolID] ?? o.schoolID
            if NoticeLesson.failures.contains(row.status.rawValue) {
                followUp.append(
                    NoticeFollowUp(
                        schoolID: o.schoolID, schoolName: school, teacherID: o.teacherID, teacherName: o.teacherName,
                        orderID: o.id, kind: "not_conducted", status: row.status.rawValue, reason: reason, reasonZh: reasonZh,
                        lowItems: [:]))
            }
            let low = lessonMeans.filter { $0.value < rubric.followUpBelow }
            if !low.isEmpty {
                followUp.append(
                    NoticeFollowUp(
                        schoolID: o.schoolID, schoolName: school, teacherID: o.teacherID, teacherName: o.teacherName,
                        orderID: o.id, kind: "low_score", status: row.status.rawValue, reason: "", lowItems: low))
            }
        }
        let statuses = rows.map(\.status.rawValue)
        let all = rows.flatMap { evaluations[$0.order.id] ?? [] }
        let zone = configuration.zone
        let today = zone.localTime(of: Date(timeIntervalSince1970: Double(now()) / 1000)).date
        return SpotCheckNotice(
            week: week.description, monday: week.monday.description, sunday: week.date(weekday: 7).description,
            county: try await noticeCounty(who, county: county), issuedOn: today.description,
            revealed: results.revealed, hidden: results.hidden,
            rubric: rubric.items, scaleMin: rubric.scaleMin,
            scaleMax: rubric.scaleMax, followUpBelow: rubric.followUpBelow,
            schools: bySchool.keys.sorted().map { NoticeSchool(id: $0, name: schoolNames[$0] ?? $0, lessons: bySchool[$0]!) },
            totals: NoticeTotals(
                called: rows.count, conducted: statuses.filter { $0 == "conducted" }.count,
                notConducted: statuses.filter { NoticeLesson.failures.contains($0) }.count,
                excused: statuses.filter { $0 == "excused" }.count, pending: statuses.filter { $0 == "pending" }.count,
                schools: bySchool.count),
            evaluation: NoticeEvaluationSummary(
                count: all.count, lessons: rows.filter { evaluations[$0.order.id] != nil }.count, means: means(all)),
            followUp: followUp)
    }
}

extension SpotCheckQueries {
    /// The county the notice is issued for: the one asked for, a county admin's own, or the
    /// registry's first counties.
    func noticeCounty(_ who: OperatorPrincipal, county: String?) async throws -> String {
        if let county = county ?? (who.role == .countyAdmin ? who.county : nil) { return county }
        return try await store.countyNames(limit: 3).joined(separator: "、")
    }
}
