import Dispatch
import FoundationEssentials

/// An HTTP answer: status, headers (names lowercased), body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]

    /// `Retry-After` in seconds within 0…3600 (see ``RetryAfter``), nil when absent or unreadable;
    /// `now` (the agent's clock) dates the HTTP-date form.
    public func retryAfterSeconds(now: Int64) -> Double? { RetryAfter.seconds(headers["retry-after"], now: now) }
}

/// HTTP over libcurl, with the blocking transfer on a dedicated serial queue so that a long-poll
/// never holds one of the few cooperative threads.
///
/// - Important: one transfer at a time per client (the handle is reused for keep-alive); use one
///   client per concurrent activity (uploader, poller). Task cancellation aborts the transfer.
public final class HTTPClient: @unchecked Sendable {
    private let easy: CurlEasy
    private let queue: DispatchQueue
    /// PEM CA bundle (nil: the system store).
    public let caBundle: String?
    public let userAgent: String

    public init(caBundle: String?, userAgent: String) throws(CurlError) {
        easy = try CurlEasy()
        queue = DispatchQueue(label: "classroomd.http")
        self.caBundle = caBundle
        self.userAgent = userAgent
    }

    /// The default cap of a response body (1 MiB: a command list, an acknowledgement, an enrollment).
    public static let defaultMaximumResponseBytes = 1 << 20

    /// Performs a request; throws ``CurlError`` on transport failure (refused, reset, timeout, TLS) and
    /// when the response body exceeds `maximumResponseBytes` (the transfer is aborted there, not buffered).
    public func send(
        _ method: String, _ url: String, headers: [String: String] = [:], body: [UInt8]? = nil, timeoutSeconds: Int,
        maximumResponseBytes: Int = HTTPClient.defaultMaximumResponseBytes
    ) async throws(CurlError) -> HTTPResponse {
        var lines = ["User-Agent: \(userAgent)", "Expect:"]
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { lines.append("\(k): \(v)") }
        if body != nil, headers["Content-Type"] == nil { lines.append("Content-Type: application/json") }
        let state = TransferState(maximumBodyBytes: maximumResponseBytes)
        let result: Result<(Int, [UInt8], [String]), CurlError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                queue.async { [easy, caBundle, lines] in
                    if state.cancelled.load(ordering: .relaxed) {
                        continuation.resume(returning: .failure(CurlError(code: 42, message: "cancelled")))
                        return
                    }
                    do throws(CurlError) {
                        let r = try easy.perform(
                            method: method, url: url, headers: lines, body: body, timeoutSeconds: timeoutSeconds,
                            connectTimeoutSeconds: min(10, timeoutSeconds), caBundle: caBundle, state: state)
                        continuation.resume(returning: .success(r))
                    } catch {
                        continuation.resume(returning: .failure(error))
                    }
                }
            }
        } onCancel: {
            state.cancelled.store(true, ordering: .relaxed)
        }
        let (status, responseBody, headerLines) = try result.get()
        var parsed: [String: String] = [:]
        for line in headerLines {
            guard let colon = line.firstIndex(of: ":") else {
                if line.hasPrefix("HTTP/") { parsed = [:] }  // a new response (after 100 Continue or a redirect)
                continue
            }
            parsed[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmed
        }
        return HTTPResponse(status: status, headers: parsed, body: responseBody)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    var trimmed: String {
        // Character.isWhitespace also covers "\r\n", which is one Character.
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
