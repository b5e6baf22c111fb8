import CCurl
import Synchronization

/// A libcurl error: the `CURLcode` and curl's message.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    public var code: Int
    public var message: String
    /// The request was cancelled (shutdown) rather than failed.
    public var isCancelled: Bool { code == Int(CURLE_ABORTED_BY_CALLBACK.rawValue) }
    public var description: String { "curl error \(code): \(message)" }
}

/// What one transfer collects: body, headers, and the cancellation flag the progress callback reads.
///
/// - Important: the body is capped at `maximumBodyBytes` and the headers at ``maximumHeaderBytes``: past
///   a cap the write callback refuses the data, curl aborts the transfer, and ``tooLarge`` says why.
final class TransferState: Sendable {
    /// Bytes of response headers kept at most (all header lines together).
    static let maximumHeaderBytes = 64 * 1024
    let cancelled = Atomic<Bool>(false)
    let maximumBodyBytes: Int
    nonisolated(unsafe) var body: [UInt8] = []
    nonisolated(unsafe) var headerLines: [String] = []
    nonisolated(unsafe) var headerBytes = 0
    /// Set when a cap was hit: what was too large.
    nonisolated(unsafe) var tooLarge: String?

    init(maximumBodyBytes: Int = 1 << 20) { self.maximumBodyBytes = maximumBodyBytes }
}

/// One libcurl easy handle, reused across requests so the connection is kept alive; freed in `deinit`.
///
/// - Important: not thread-safe; ``HTTPClient`` runs every transfer on its own serial queue.
final class CurlEasy: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private static let globalInit: Int32 = Int32(curl_global_init(Int(CURL_GLOBAL_DEFAULT)).rawValue)

    init() throws(CurlError) {
        _ = Self.globalInit
        guard let h = curl_easy_init() else { throw CurlError(code: -1, message: "curl_easy_init failed") }
        handle = h
    }

    deinit { curl_easy_cleanup(handle) }

    private func check(_ rc: CURLcode, _ what: String) throws(CurlError) {
        guard rc == CURLE_OK else {
            throw CurlError(code: Int(rc.rawValue), message: "\(what): \(String(cString: curl_easy_strerror(rc)))")
        }
    }

    /// Performs one blocking transfer.
    func perform(
        method: String, url: String, headers: [String], body: [UInt8]?, timeoutSeconds: Int, connectTimeoutSeconds: Int,
        caBundle: String?, state: TransferState
    ) throws(CurlError) -> (status: Int, body: [UInt8], headers: [String]) {
        curl_easy_reset(handle)
        try check(cf_curl_setopt_string(handle, CURLOPT_URL, url), "url")
        try check(cf_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "nosignal")
        try check(cf_curl_setopt_long(handle, CURLOPT_TIMEOUT, timeoutSeconds), "timeout")
        try check(cf_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, connectTimeoutSeconds), "connect timeout")
        try check(cf_curl_setopt_long(handle, CURLOPT_PROTOCOLS, Int(CURLPROTO_HTTP | CURLPROTO_HTTPS)), "protocols")
        if let caBundle { try check(cf_curl_setopt_string(handle, CURLOPT_CAINFO, caBundle), "ca bundle") }
        var list: UnsafeMutablePointer<curl_slist>?
        for h in headers { list = curl_slist_append(list, h) }
        defer { curl_slist_free_all(list) }
        try check(cf_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, list), "headers")
        if method == "POST" {
            try check(cf_curl_setopt_long(handle, CURLOPT_POST, 1), "post")
        } else if method != "GET" {
            try check(cf_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method), "method")
        }
        let context = Unmanaged.passUnretained(state).toOpaque()
        try check(cf_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, curlWriteBody), "write")
        try check(cf_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "write data")
        try check(cf_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader), "header")
        try check(cf_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "header data")
        try check(cf_curl_setopt_progress(handle, curlProgress), "progress")
        try check(cf_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context), "progress data")
        try check(cf_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0), "noprogress")
        state.body = []
        state.headerLines = []
        state.headerBytes = 0
        state.tooLarge = nil
        let rc: CURLcode
        if let body {
            rc = body.withUnsafeBufferPointer { buffer in
                _ = cf_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, buffer.count)
                _ = cf_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
                return curl_easy_perform(handle)
            }
        } else {
            rc = curl_easy_perform(handle)
        }
        if rc != CURLE_OK, let tooLarge = state.tooLarge {
            throw CurlError(code: Int(rc.rawValue), message: "\(method) \(url): \(tooLarge); transfer aborted")
        }
        try check(rc, "\(method) \(url)")
        var status = 0
        _ = cf_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return (status, state.body, state.headerLines)
    }
}

private func curlWriteBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?)
    -> Int
{
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    guard n <= state.maximumBodyBytes - state.body.count else {
        state.tooLarge = "response body larger than \(state.maximumBodyBytes) bytes"
        return 0  // not n: curl aborts the transfer with CURLE_WRITE_ERROR
    }
    data.withMemoryRebound(to: UInt8.self, capacity: n) {
        state.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n))
    }
    return n
}

private func curlWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    state.headerBytes += n
    guard state.headerBytes <= TransferState.maximumHeaderBytes else {
        state.tooLarge = "response headers larger than \(TransferState.maximumHeaderBytes) bytes"
        return 0
    }
    let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
        String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
    }
    state.headerLines.append(line.trimmed)
    return n
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t)
    -> Int32
{
    guard let context else { return 0 }
    return Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue().cancelled.load(ordering: .relaxed) ? 1 : 0
}
