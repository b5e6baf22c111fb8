import ClassroomCore
import Foundation

/// The patrol (巡课) operations shared by `/api/v1/patrol` and the console's `/patrol`: the rooms a
/// viewer may look into now, opening (or joining) a room's patrol, and the patrol view history.
///
/// - Important: who may patrol is ``OperatorPrincipal/mayWatchLesson(inSchool:)``: bureau admins
///   and observers (教研员) county-wide, a school admin (the principal) in its own school. A county
///   admin reads figures, never video: it may read its county's patrol view log (``history(_:county:days:)``,
///   from which the observation quotas are counted) but neither list the rooms to patrol nor open one.
struct PatrolQueries: Sendable {
    let store: any CollectorStore
    /// Nil where nothing can be dispatched (a console without a command queue): opening is then refused.
    let dispatcher: SpotCheckDispatcher?
    let configuration: CollectorConfiguration
    let now: @Sendable () -> Int64

    var rooms: PatrolRooms {
        PatrolRooms(
            store: store, spotcheck: configuration.spotcheck, onlineWindowMillis: configuration.onlineWindowSeconds * 1000)
    }

    /// Who may read the patrol view log: the patrollers and county admins (their county's views).
    static let historyReaders: Set<OperatorRole> = OperatorPrincipal.lessonWatchers.union([.countyAdmin])

    /// The rooms of `who`'s scope (narrowed to `county`) with a timetabled lesson now, by school and room.
    func list(_ who: OperatorPrincipal, county: String? = nil) async throws -> [PatrolRoomState] {
        try who.require(OperatorPrincipal.lessonWatchers)
        let schools = try await who.listScope(school: nil, county: county, store: store)
        let registry = try await store.registry()
        let scope = registry.rooms.filter {
            who.mayWatchLesson(inSchool: $0.schoolID) && (schools?.contains($0.schoolID) ?? true)
        }
        return try await rooms.states(of: scope, registry: registry, now: now()).filter { $0.lesson != nil }
            .sorted { ($0.school.id, $0.room.id) < ($1.school.id, $1.room.id) }
    }

    /// Opens a patrol of `roomID` now, or joins the room's open one, and records `who`'s view.
    /// 404 for an unknown room, 403 outside `who`'s scope, 422 with the reason when it cannot be patrolled.
    func open(_ who: OperatorPrincipal, roomID: String) async throws -> PatrolOpened {
        try who.require(OperatorPrincipal.lessonWatchers)
        let registry = try await store.registry()
        guard let room = registry.rooms.first(where: { $0.id == roomID }) else {
            throw APIError.notFound("no room '\(roomID)' in the registry")
        }
        guard who.mayWatchLesson(inSchool: room.schoolID) else {
            throw APIError.forbidden("room '\(roomID)' is not in your school")
        }
        let t = now()
        guard let state = try await rooms.states(of: [room], registry: registry, now: t).first else {
            throw APIError.notFound("no school '\(room.schoolID)' in the registry")
        }
        if let refusal = state.refusal { throw refusal.apiError }
        guard let dispatcher, let running = state.lesson else {
            throw APIError(.serviceUnavailable, "unavailable", "this collector cannot send commands to devices")
        }
        let order = makeOrder(running, teacherName: state.teacherName ?? running.lesson.teacherID, now: t)
        let opening = try await store.openPatrol(
            order, openedBy: who.actor, at: t,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "patrol.open", target: "spotcheck_order:\(order.id)",
                schoolID: order.schoolID, detail: "room \(order.roomID), teacher \(order.teacherID), \(order.subject)"))
        let patrol: PatrolRecord
        let joined: Bool
        switch opening {
        case .opened(let p):
            (patrol, joined) = (p, false)
            // A command that cannot be queued now is released by the dispatcher and sent by the next
            // pass of the dispatch service; the viewer still gets the order (its `dispatch` is empty).
            _ = try? await dispatcher.dispatch(order, now: t)
        case .joined(let p):
            (patrol, joined) = (p, true)
        }
        guard let stored = try await store.spotCheckOrder(id: patrol.orderID) else {
            throw APIError.notFound("patrol order '\(patrol.orderID)' vanished")
        }
        try await recordView(who, of: stored, at: t)
        return PatrolOpened(order: stored, patrol: patrol, joined: joined)
    }

    /// Records (or extends) `who`'s patrol view of `order` in the view log (audited `lesson.view`).
    func recordView(_ who: OperatorPrincipal, of order: SpotCheckOrderRecord, at t: Int64) async throws {
        _ = try await store.touchLessonView(
            LessonViewStart(
                orderID: order.id, viewer: who.actor, viewerName: who.name, viewerRole: who.role,
                viewerSchoolID: who.role == .schoolAdmin ? who.schoolID : nil, schoolID: order.schoolID,
                roomID: order.roomID, mode: .patrol),
            at: t, idleMillis: configuration.patrol.idleMillis,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "lesson.view", target: "spotcheck_order:\(order.id)",
                schoolID: order.schoolID, detail: "patrol view of room \(order.roomID)"))
    }

    /// Patrol views that started in the last `days` days, newest first, of `who`'s scope (narrowed to `county`).
    func history(_ who: OperatorPrincipal, county: String? = nil, days: Int = 7) async throws -> [LessonViewRecord] {
        try who.require(Self.historyReaders)
        let scope = try await who.listScope(school: nil, county: county, store: store)
        let t = now()
        return try await store.lessonViews(
            startedFrom: t - Int64(days) * 86_400_000, through: t, schoolID: who.ownSchool
        ).filter { $0.start.mode == .patrol && (scope?.contains($0.start.schoolID) ?? true) }.reversed()
    }

    /// The order of a patrol of `running`: the timetabled lesson's teacher, subject and window.
    func makeOrder(_ running: ScheduledLesson, teacherName: String, now t: Int64) -> SpotCheckOrderRecord {
        let lesson = running.lesson
        let week = ISOWeek(containing: running.date)
        let spotcheck = configuration.spotcheck
        return SpotCheckOrderRecord(
            id: PatrolOrders.idPrefix + Secrets.newID().replacingOccurrences(of: "-", with: "").prefix(12),
            week: week.description, source: PatrolOrders.source,
            position: 0, round: 0, teacherID: lesson.teacherID, teacherName: teacherName, schoolID: lesson.schoolID,
            roomID: lesson.roomID, weekday: lesson.weekday, startMinute: lesson.start.minutes,
            endMinute: lesson.end.minutes, subject: lesson.subject,
            lessonStart: spotcheck.instant(week: week, weekday: lesson.weekday, minutes: lesson.start.minutes),
            lessonEnd: spotcheck.instant(week: week, weekday: lesson.weekday, minutes: lesson.end.minutes), createdAt: t)
    }
}

/// The answer to opening a patrol.
struct PatrolOpened: Sendable {
    var order: SpotCheckOrderRecord
    var patrol: PatrolRecord
    /// Whether the viewer joined a patrol another viewer had opened.
    var joined: Bool
}
