import ClassroomCore
import Foundation

/// The observation quotas (听课) as a function of the operator, for `GET /api/v1/observation`, the
/// console's `/observation` and `classroomctl observation` (one copy of the rules: see
/// ``ClassroomCore/ObservationQuotaReport`` for what counts).
///
/// Bureau roles and observers see every school; a school admin its own school's principals, a county
/// admin its county's (``OperatorPrincipal/listScope(school:county:store:)``; `county=` narrows any
/// role to one county). The term coverage is one figure over the schools of the county asked (a
/// county admin's own), else of the whole registry, and is shown to all. Periods are local dates in the
/// county's time zone; the term is the profile's term holding the week's Monday, or from
/// `termStart` to the week's end.
struct ObservationQueries: Sendable {
    let store: any CollectorStore
    let quotas: ObservationQuotas
    let zone: CountyTimeZone
    let now: @Sendable () -> Int64

    static let roles: Set<OperatorRole> = [.bureauAdmin, .bureauViewer, .observer, .schoolAdmin, .countyAdmin]

    func report(_ who: OperatorPrincipal, week: ISOWeek, termStart asked: LocalDate?, county: String? = nil) async throws
        -> ObservationQuotaReport
    {
        try who.require(Self.roles)
        let scope = try await who.listScope(school: nil, county: county, store: store)
        let weekEnd = week.date(weekday: 7)
        let term = quotas.term(containing: week.monday)
        let termStart = asked ?? term.start
        let termEnd = asked == nil ? (term.end ?? weekEnd) : weekEnd
        guard termStart <= termEnd else {
            throw APIError.badRequest("query 'term_start' \(termStart) is after the end of week \(week)")
        }
        let registry = try await store.registry()
        let schoolNames = Dictionary(registry.schools.map { ($0.id, $0.name) }) { a, _ in a }
        let coverageSchools = try who.countyScope(asked: county).map { registry.schoolIDs(inCounty: $0) }
        // Users linked to teachers: a teacher's views are those of its users.
        var usersOf: [String: [String]] = [:]
        for user in try await store.consoleUsers(schoolID: nil) {
            if let teacher = user.teacherID { usersOf[teacher, default: []].append(user.username) }
        }
        let weekSpans = try await spans(from: week.monday, through: weekEnd)
        let observed = quotas.observedLessons(weekSpans)
        let principals = registry.teachers.filter { $0.position != nil && (scope?.contains($0.schoolID) ?? true) }
            .sorted {
                ($0.schoolID, $0.position == .principal ? 0 : 1, $0.id) < ($1.schoolID, $1.position == .principal ? 0 : 1, $1.id)
            }
            .map { t in
                let users = (usersOf[t.id] ?? []).sorted()
                let lessons = users.reduce(into: Set<String>()) { $0.formUnion(observed["user:\($1)"] ?? []) }
                return PrincipalObservation(
                    teacherID: t.id, name: t.name, schoolID: t.schoolID, schoolName: schoolNames[t.schoolID] ?? t.schoolID,
                    position: t.position!, users: users, observed: lessons.count, quota: quotas.perWeek(t.position!))
            }
        let covered = quotas.schoolsObserved(try await spans(from: termStart, through: termEnd))
            .filter { schoolNames[$0] != nil && (coverageSchools?.contains($0) ?? true) }
        return ObservationQuotaReport(
            week: week.description, weekStart: week.monday.description, weekEnd: weekEnd.description,
            termStart: termStart.description, termEnd: termEnd.description, quotas: quotas, principals: principals,
            coverage: ObservedSchoolCoverage(
                schools: coverageSchools?.count ?? registry.schools.count, observed: covered.sorted(),
                target: quotas.schoolCoveragePerTerm))
    }

    /// Views started from the first to the last day (local dates, inclusive).
    func spans(from first: LocalDate, through last: LocalDate) async throws -> [ObservedSpan] {
        let start = Int64(zone.instant(of: first, at: TimeOfDay(minutes: 0)).timeIntervalSince1970 * 1000)
        let end = Int64(zone.instant(of: last.adding(days: 1), at: TimeOfDay(minutes: 0)).timeIntervalSince1970 * 1000) - 1
        return try await store.lessonViews(startedFrom: start, through: end, schoolID: nil).map {
            ObservedSpan(
                viewer: $0.start.viewer, orderID: $0.start.orderID, schoolID: $0.start.schoolID,
                countyWide: $0.start.viewerRole == .bureauAdmin || $0.start.viewerRole == .observer,
                millis: $0.durationMillis)
        }
    }
}
