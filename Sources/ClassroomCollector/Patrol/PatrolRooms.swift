import ClassroomCore
import Foundation

/// A room as the patrol list shows it: its lesson now, its device, an open patrol, or why it cannot
/// be patrolled.
public struct PatrolRoomState: Sendable, Hashable {
    public var school: School
    public var room: Room
    /// The timetabled lesson running now, nil outside lesson time.
    public var lesson: ScheduledLesson?
    public var teacherName: String?
    /// The device that would stream the room (unrevoked, heard from most recently), with its hardware.
    public var device: DeviceListing?
    public var online: Bool
    /// The room's open patrol (a viewer opening the room joins it).
    public var openPatrol: PatrolRecord?
    /// Nil when the room can be patrolled now.
    public var refusal: PatrolRefusal?
}

/// Reads the state of rooms for patrols: the timetable (county zone), the spot-check orders, the
/// device directory's hardware counts and the open patrols.
struct PatrolRooms: Sendable {
    let store: any CollectorStore
    let spotcheck: SpotCheckConfiguration
    /// A device heard from within this many milliseconds is online.
    let onlineWindowMillis: Int64

    /// The state of each of `rooms` (all of one school, or of several) at `now`.
    func states(of rooms: [Room], registry: Registry, now: Int64) async throws -> [PatrolRoomState] {
        guard !rooms.isEmpty else { return [] }
        let instant = Date(timeIntervalSince1970: Double(now) / 1000)
        let schoolIDs = Set(rooms.map(\.schoolID))
        let oneSchool = schoolIDs.count == 1 ? schoolIDs.first : nil
        let timetable = Timetable(
            lessons: registry.lessons.filter { schoolIDs.contains($0.schoolID) }, zone: spotcheck.zone,
            calendar: registry.schoolCalendar)
        let schools = registry.schoolsByID()
        let teachers = Dictionary(registry.teachers.map { ($0.id, $0.name) }) { a, _ in a }
        var query = DevicePageQuery(schoolID: oneSchool, limit: 1_000_000)
        query.activeOnly = true
        var devices: [String: DeviceListing] = [:]
        for listing in try await store.devicePage(query).devices {
            guard let room = listing.device.roomID, listing.device.revokedAt == nil else { continue }
            if let other = devices[room], (other.device.lastSeenAt ?? 0) >= (listing.device.lastSeenAt ?? 0) { continue }
            devices[room] = listing
        }
        let week = ISOWeek(containing: spotcheck.zone.localTime(of: instant).date)
        let spotChecks = try await store.spotCheckOrders(week: week.description, schoolID: oneSchool).filter {
            $0.isSpotCheck && $0.excusedAt == nil && isActive($0, now: now)
        }
        let patrols = Dictionary(
            try await store.openPatrols().filter { $0.lessonEnd > now }.map { ($0.roomID, $0) }
        ) { a, _ in a }
        return rooms.compactMap { room in
            guard let school = schools[room.schoolID] else { return nil }
            let lesson = timetable.lessonRunning(inRoom: room.id, at: instant)
            let device = devices[room.id]
            let online = (device?.device.lastSeenAt).map { $0 >= now - onlineWindowMillis } ?? false
            var state = PatrolRoomState(
                school: school, room: room, lesson: lesson,
                teacherName: lesson.map { teachers[$0.lesson.teacherID] ?? $0.lesson.teacherID },
                device: device, online: online, openPatrol: patrols[room.id])
            state.refusal = refusal(state, spotCheck: spotChecks.first { $0.roomID == room.id }, now: now)
            return state
        }
    }

    /// A spot-check order streaming now, or whose lesson (with the dispatch lead) covers `now`.
    func isActive(_ order: SpotCheckOrderRecord, now: Int64) -> Bool {
        if order.publishStartedAt != nil && order.publishEndedAt == nil { return true }
        return now >= order.lessonStart - spotcheck.leadSeconds * 1000 && now < order.lessonEnd
    }

    /// Why the room cannot be patrolled, checked in the order a viewer can act on.
    func refusal(_ state: PatrolRoomState, spotCheck: SpotCheckOrderRecord?, now: Int64) -> PatrolRefusal? {
        let room = state.room.id
        guard state.lesson != nil else {
            return PatrolRefusal(.notInLesson, "room '\(room)' has no timetabled lesson now")
        }
        if let spotCheck {
            return PatrolRefusal(
                .spotCheck, "a spot-check of room '\(room)' is active now (order \(spotCheck.id)); the spot-check wins")
        }
        guard let listing = state.device else {
            return PatrolRefusal(.noDevice, "room '\(room)' has no enrolled device")
        }
        let id = listing.device.id
        guard state.online else {
            return PatrolRefusal(.deviceOffline, "device '\(id)' of room '\(room)' is offline (not heard from recently)")
        }
        guard (listing.cameras ?? 0) > 0 else {
            return PatrolRefusal(.noCamera, "the latest inventory of device '\(id)' of room '\(room)' lists no camera")
        }
        guard (listing.microphones ?? 0) > 0 else {
            return PatrolRefusal(.noMicrophone, "the latest inventory of device '\(id)' of room '\(room)' lists no microphone")
        }
        return nil
    }
}
