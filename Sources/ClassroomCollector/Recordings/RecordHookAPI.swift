import Foundation
import Hummingbird
import Logging

/// `POST /api/v1/media/on_record_done`, called by nginx-rtmp when it closes a recorded FLV (form
/// fields `name`: the stream name, the key or the public `lesson-<orderID>`; `path`: the file).
///
/// The hook only checks and stores: the order must exist, the file must be a `.flv` inside
/// ``RecordingConfiguration/ingestDirectory``. The conversion runs in
/// ``RecordingConversionService``, woken through ``RecordingQueue``, so nginx gets its answer at once.
/// Bad input is a 4xx naming the field, with nothing stored.
struct RecordHookAPI<Context: RequestContext>: Sendable {
    let hooks: MediaHooksAPI<Context>
    let configuration: RecordingConfiguration
    let queue: RecordingQueue

    var store: any CollectorStore { hooks.store }

    func register(on router: Router<Context>) {
        router.post("api/v1/media/on_record_done") { request, context in try await onRecordDone(request, logger: context.logger) }
    }

    func onRecordDone(_ request: Request, logger: Logger) async throws -> Response {
        let form = try await hooks.authorizedForm(request)
        guard let name = form["name"], !name.isEmpty else {
            throw APIError.badRequest("form field 'name' (stream name) is missing")
        }
        guard let path = form["path"], !path.isEmpty else {
            throw APIError.badRequest("form field 'path' (recorded file) is missing")
        }
        guard let order = try await MediaStreamName.order(named: name, store: store) else {
            logger.notice("on_record_done for an unknown stream", metadata: ["path": "\(path)"])
            throw APIError.notFound("no spot-check order for this stream name")
        }
        let file = try Self.checkedFile(path, inside: configuration.ingestDirectory)
        let t = hooks.now()
        // Neither the file name nor the stream name is kept as such: without on_publish's redirect both
        // carry the (spent) stream key, and the collector stores keys only hashed.
        let audit = AuditEntry(
            at: t, actor: "media", action: "recording.receive", target: "spotcheck_order:\(order.id)", schoolID: order.schoolID,
            detail: "recorded file reported by nginx-rtmp")
        guard
            let stored = try await store.insertRecording(
                RecordingStart(
                    orderID: order.id, schoolID: order.schoolID, streamName: MediaStreamName.stored(name), sourcePath: file),
                at: t,
                audit: audit)
        else { throw APIError.conflict("field 'path': this file was reported already") }
        logger.info("recording received", metadata: ["order": "\(order.id)", "recording": "\(stored.id)"])
        queue.wake()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
        )
    }

    /// `path` with symbolic links resolved, when it is an existing regular `.flv` file inside `directory`.
    static func checkedFile(_ path: String, inside directory: String) throws -> String {
        guard path.hasPrefix("/") else { throw APIError.badRequest("field 'path' must be an absolute path") }
        let file = URL(filePath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let root = URL(filePath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        guard file.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
            throw APIError.badRequest("field 'path' is outside the recording folder \(directory)")
        }
        guard file.hasSuffix(".flv") else { throw APIError.badRequest("field 'path' is not an .flv file") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw APIError.badRequest("field 'path': no such file")
        }
        return file
    }
}
