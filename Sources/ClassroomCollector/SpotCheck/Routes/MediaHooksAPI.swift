import Crypto
import Foundation
import Hummingbird
import Logging

/// `POST /api/v1/media/on_publish` and `/on_publish_done`, called by nginx-rtmp (form-encoded:
/// `name` is the stream key, `addr` the pushing client). A key is allowed for its order only,
/// inside its lesson window (lead time and grace included), only once. An allowed stream is answered
/// with a redirect (302, `Location: lesson-ORDER`) that makes nginx-rtmp rename it to its public name
/// (``LessonViewing/publicStreamName(orderID:)``), so HLS and recordings never carry the key; 403 refuses.
///
/// - Important: the hooks are reached with `?secret=…` (``SpotCheckConfiguration/mediaHookSecret``),
///   written into the nginx configuration; without a configured secret every publish is refused.
struct MediaHooksAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let configuration: SpotCheckConfiguration
    let now: @Sendable () -> Int64

    func register(on router: Router<Context>) {
        router.post("api/v1/media/on_publish") { request, context in try await onPublish(request, logger: context.logger) }
        router.post("api/v1/media/on_publish_done") { request, _ in try await onPublishDone(request) }
    }

    func onPublish(_ request: Request, logger: Logger) async throws -> Response {
        let form = try await authorizedForm(request)
        guard let key = form["name"], !key.isEmpty else { throw APIError.badRequest("form field 'name' (stream key) is missing") }
        let addr = form["addr"] ?? ""
        guard let order = try await store.spotCheckOrder(streamKeyHash: Secrets.hash(key)) else {
            logger.notice("refused publish: unknown stream key", metadata: ["addr": "\(addr)"])
            throw APIError.forbidden("unknown stream key")
        }
        let t = now()
        let opens = order.lessonStart - (configuration.leadSeconds + configuration.graceSeconds) * 1000
        let closes = order.lessonEnd + configuration.graceSeconds * 1000
        guard t >= opens, t <= closes else {
            logger.notice("refused publish: outside the lesson window", metadata: ["order": "\(order.id)", "addr": "\(addr)"])
            throw APIError.forbidden("stream key of order '\(order.id)' is outside its lesson window")
        }
        guard let deviceID = order.deviceID, let device = try await store.device(id: deviceID), device.revokedAt == nil else {
            throw APIError.forbidden("order '\(order.id)' has no active device")
        }
        guard try await store.startSpotCheckPublish(orderID: order.id, at: t, addr: addr) else {
            logger.notice("refused publish: key used already", metadata: ["order": "\(order.id)", "addr": "\(addr)"])
            throw APIError.forbidden("stream key of order '\(order.id)' has been used already")
        }
        let name = LessonViewing.publicStreamName(orderID: order.id)
        return Response(
            status: .found, headers: [.location: name, .contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "ok: \(name)\n")))
    }

    /// Records the end of a stream. nginx names it by the key the publisher used or, after the
    /// rename, by its public name (which one depends on the application and nginx-rtmp's version).
    func onPublishDone(_ request: Request) async throws -> Response {
        let form = try await authorizedForm(request)
        if let name = form["name"], let order = try await MediaStreamName.order(named: name, store: store) {
            _ = try await store.endSpotCheckPublish(orderID: order.id, at: now())
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
        )
    }

    /// The form fields of an nginx-rtmp callback whose `secret` query parameter is right; 403 otherwise.
    func authorizedForm(_ request: Request) async throws -> [String: String] {
        guard let expected = configuration.mediaHookSecret, !expected.isEmpty else {
            throw APIError.forbidden("media hooks are disabled: no media hook secret is configured")
        }
        let given = request.uri.queryParameters["secret"].map(String.init) ?? ""
        guard Self.constantTimeEqual(given, expected) else { throw APIError.forbidden("wrong or missing 'secret'") }
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        return Self.parseForm(String(buffer: body))
    }

    /// `application/x-www-form-urlencoded`: `+` is a space, `%XX` a byte; the last of repeated names wins.
    static func parseForm(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        SHA256.hash(data: Data(a.utf8)) == SHA256.hash(data: Data(b.utf8))
    }
}
