import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// `GET /console/media/authorize`: nginx's `auth_request` for every HLS playlist and fragment
/// (`Deploy/media/nginx-site.conf`). It reads the console session cookie the browser sent with the
/// media request and the original path in `X-Original-URI`, and answers
///
/// - **204** — the viewer may watch the lesson (``OperatorPrincipal/mayWatchLesson(inSchool:)``);
///   once the stream has started, the view is written to the view log (live, or patrol for a
///   patrol order), extended while the player keeps asking (``LessonViewing/idleMillis``);
/// - **401** — no live console session;
/// - **403** — not a lesson's HLS path, an unknown order, or no right to watch it (also another
///   school's lesson: nginx's `auth_request` turns every other status into a 500, so 404 is not used);
/// - **400** — the header `X-Original-URI` is missing (nginx is misconfigured).
///
/// - Important: it is called for every poll of every viewer's player (every 2 s): one session
///   lookup, one order lookup, and a view-log write at most every ``touchInterval`` per viewer and lesson.
struct MediaAuthorization: Sendable {
    let console: ConsoleEnvironment
    /// Recent view-log writes, so that a player's polls do not each write.
    let recent = RecentViewTouches()

    /// How often one viewer's view of one lesson is written while it keeps polling.
    static let touchInterval: Int64 = 5_000
    static let originalURI = HTTPField.Name("X-Original-URI")!

    func register(on router: Router<CollectorRequestContext>) {
        router.get("console/media/authorize") { request, context in try await authorize(request, logger: context.logger) }
    }

    func authorize(_ request: Request, logger: Logger) async throws -> Response {
        guard let uri = request.headers[Self.originalURI] else {
            return Self.answer(.badRequest, "header X-Original-URI is missing (set it to $request_uri in nginx)")
        }
        guard let viewer = try await console.auth.viewer(request) else { return Self.answer(.unauthorized, "not signed in") }
        guard let orderID = LessonViewing.orderID(hlsURI: uri) else {
            return Self.answer(.forbidden, "not the HLS of a lesson: \(uri.prefix(200))")
        }
        guard let order = try await console.store.spotCheckOrder(id: orderID), !order.isSelfTest else {
            return Self.answer(.forbidden, "no lesson '\(orderID)'")
        }
        guard viewer.principal.mayWatchLesson(inSchool: order.schoolID) else {
            logger.notice("media refused", metadata: ["actor": "\(viewer.actor)", "order": "\(orderID)"])
            return Self.answer(.forbidden, "\(viewer.actor) may not watch lesson '\(orderID)'")
        }
        if order.publishStartedAt != nil {
            let t = console.now()
            let mode: LessonViewMode = order.source == PatrolOrders.source ? .patrol : .live
            if recent.shouldTouch(viewer: viewer.actor, orderID: orderID, mode: mode, at: t, interval: Self.touchInterval) {
                let p = viewer.principal
                _ = try await console.store.touchLessonView(
                    LessonViewStart(
                        orderID: orderID, viewer: p.actor, viewerName: p.name, viewerRole: p.role, viewerSchoolID: p.schoolID,
                        schoolID: order.schoolID, roomID: order.roomID, mode: mode),
                    at: t, idleMillis: LessonViewing.idleMillis,
                    audit: AuditEntry(
                        at: t, actor: p.actor, action: "lesson.view", target: orderID, schoolID: order.schoolID,
                        detail: "\(mode.rawValue) view of \(order.roomID)"))
            }
        }
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    static func answer(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}

/// When each viewer's view of each lesson was last written (in memory, per collector process).
final class RecentViewTouches: Sendable {
    private let last = Mutex([String: Int64]())

    /// Whether a view-log write is due for this viewer, lesson and mode at `at` (and notes it).
    func shouldTouch(viewer: String, orderID: String, mode: LessonViewMode, at: Int64, interval: Int64) -> Bool {
        let key = "\(viewer)\u{0}\(orderID)\u{0}\(mode.rawValue)"
        return last.withLock { table in
            if let previous = table[key], at - previous < interval, at >= previous { return false }
            if table.count > 10_000 { table = table.filter { at - $0.value < interval } }
            table[key] = at
            return true
        }
    }
}
