import ClassroomCore
import Foundation
import Hummingbird

/// `/api/v1/patrol` (巡课): the rooms of the caller's scope with a lesson now and whether each can be
/// patrolled, opening (or joining) a room's patrol, and the patrol views of the last days.
struct PatrolAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let queries: PatrolQueries
    let now: @Sendable () -> Int64

    var auth: Authenticator { Authenticator(store: store, now: now) }

    func register(on router: Router<Context>) {
        router.get("api/v1/patrol") { request, _ in try await list(request) }
        router.post("api/v1/patrol") { request, _ in try await open(request) }
        router.get("api/v1/patrol/views") { request, _ in try await views(request) }
    }

    func list(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorPrincipal.lessonWatchers)
        let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        return try JSONBody.response(
            PatrolRoomsView(rooms: try await queries.list(who, county: county).map(PatrolRoomView.init)))
    }

    /// 201 with the new patrol's order, 200 when the caller joined the room's open patrol.
    func open(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorPrincipal.lessonWatchers)
        let body = try await JSONBody.decode(
            PatrolOpenRequest.self, from: request, limit: 16 * 1024, allowedKeys: PatrolOpenRequest.fields)
        guard !body.roomID.isEmpty, body.roomID.count <= 64 else {
            throw APIError.badRequest("field 'room_id': must be 1 to 64 characters")
        }
        let opened = try await queries.open(who, roomID: body.roomID)
        return try JSONBody.response(PatrolOpenedView(opened), status: opened.joined ? .ok : .created)
    }

    /// The patrol views of the last 7 days, newest first (`county=` narrows; a county admin's county's).
    func views(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: PatrolQueries.historyReaders)
        let county = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        return try JSONBody.response(
            PatrolViewsView(views: try await queries.history(who, county: county).map(PatrolViewView.init)))
    }
}

/// Body of `POST /api/v1/patrol`.
struct PatrolOpenRequest: Codable, Sendable {
    var roomID: String
    static let fields: Set<String> = ["room_id"]
    enum CodingKeys: String, CodingKey { case roomID = "room_id" }
}

/// The answer to `POST /api/v1/patrol`: the order to watch (`watch_url`) and whether it was joined.
struct PatrolOpenedView: Codable, Sendable {
    var order: SpotCheckOrderView
    var joined: Bool
    var openedBy: String
    var watchURL: String

    init(_ o: PatrolOpened) {
        order = SpotCheckOrderView(o.order)
        joined = o.joined
        openedBy = o.patrol.openedBy
        watchURL = "/lessons/\(o.order.id)"
    }

    enum CodingKeys: String, CodingKey {
        case order, joined
        case openedBy = "opened_by"
        case watchURL = "watch_url"
    }
}

/// `GET /api/v1/patrol`.
struct PatrolRoomsView: Codable, Sendable {
    var rooms: [PatrolRoomView]
}

/// One room with a lesson now: who teaches what until when, its device, and why it cannot be
/// patrolled (`refusal`, nil when it can) or the patrol open in it.
struct PatrolRoomView: Codable, Sendable {
    var schoolID: String
    var roomID: String
    var teacherName: String?
    var subject: String?
    var lessonEnd: Int64?
    var deviceID: String?
    var online: Bool
    var openPatrol: String?
    var refusal: String?
    var reason: String?

    init(_ s: PatrolRoomState) {
        schoolID = s.school.id
        roomID = s.room.id
        teacherName = s.teacherName
        subject = s.lesson?.lesson.subject
        lessonEnd = s.lesson.map { Int64(($0.end.timeIntervalSince1970 * 1000).rounded()) }
        deviceID = s.device?.device.id
        online = s.online
        openPatrol = s.openPatrol?.orderID
        refusal = s.refusal?.code.rawValue
        reason = s.refusal?.message
    }

    enum CodingKeys: String, CodingKey {
        case subject, online, refusal, reason
        case schoolID = "school_id"
        case roomID = "room_id"
        case teacherName = "teacher_name"
        case lessonEnd = "lesson_end"
        case deviceID = "device_id"
        case openPatrol = "open_patrol"
    }
}

/// `GET /api/v1/patrol/views`: who watched which room, from when to when.
struct PatrolViewsView: Codable, Sendable {
    var views: [PatrolViewView]
}

struct PatrolViewView: Codable, Sendable {
    var orderID: String
    var viewer: String
    var viewerName: String
    var viewerRole: String
    var schoolID: String
    var roomID: String
    var startedAt: Int64
    var lastSeenAt: Int64

    init(_ v: LessonViewRecord) {
        orderID = v.start.orderID
        viewer = v.start.viewer
        viewerName = v.start.viewerName
        viewerRole = v.start.viewerRole.rawValue
        schoolID = v.start.schoolID
        roomID = v.start.roomID
        startedAt = v.startedAt
        lastSeenAt = v.lastSeenAt
    }

    enum CodingKeys: String, CodingKey {
        case viewer
        case orderID = "order_id"
        case viewerName = "viewer_name"
        case viewerRole = "viewer_role"
        case schoolID = "school_id"
        case roomID = "room_id"
        case startedAt = "started_at"
        case lastSeenAt = "last_seen_at"
    }
}
