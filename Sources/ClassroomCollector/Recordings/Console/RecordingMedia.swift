import Foundation
import Hummingbird

/// `GET /lessons/{orderID}/recording.mp4`: the lesson's playable recording, served by the collector
/// with byte ranges (200 whole, 206 with `Content-Range`, 416 for a range past the end), so the
/// browser's `<video>` can seek. Signed out: 401; another school's lesson: 404; a role that does
/// not watch lessons: 403 — never a byte. Each request extends the viewer's view in the view log.
struct RecordingMedia: Sendable {
    let console: ConsoleEnvironment

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("lessons/:id/recording.mp4") { request, context in
            try await serve(request, id: context.parameters.require("id"), context: context)
        }
    }

    func serve(_ request: Request, id: String, context: CollectorRequestContext) async throws -> Response {
        guard let viewer = try await console.auth.viewer(request) else {
            throw HTTPError(.unauthorized, message: "sign in to the console to watch recordings")
        }
        let access = RecordingAccess(console: console)
        let order = try await access.lesson(viewer, orderID: id)
        guard let recording = try await access.current(orderID: order.id), recording.state == .ready,
            let path = recording.path,
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        else { throw ConsoleFailure.notFound }
        try await access.touchView(viewer, order: order)
        var headers: HTTPFields = [
            .contentType: "video/mp4", .acceptRanges: "bytes", .cacheControl: "private, no-store",
            .xContentTypeOptions: "nosniff",
        ]
        let files = FileIO()
        switch ByteRange(header: request.headers[.range], size: size) {
        case .whole:
            headers[.contentLength] = "\(size)"
            return Response(status: .ok, headers: headers, body: try await files.loadFile(path: path, context: context))
        case .part(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
            headers[.contentLength] = "\(range.count)"
            let body = try await files.loadFile(
                path: path, range: Int(range.lowerBound)...Int(range.upperBound), context: context)
            return Response(status: .partialContent, headers: headers, body: body)
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        }
    }
}
