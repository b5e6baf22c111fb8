import ClassroomCore
import FoundationEssentials

/// What the local status page answers: the request head in, the whole HTTP/1.1 response out.
struct StatusPage: Sendable {
    let status: @Sendable () -> SpotCheckLiveStatus?
    let clock: AgentClock
    /// The `Host` values answered (DNS rebinding defence).
    let hosts: LoopbackHostPolicy

    /// Answers one request head (everything up to the blank line).
    func respond(to bytes: [UInt8]) -> [UInt8] {
        if bytes.count > StatusPageServer.maximumRequestBytes {
            return Self.response(431, "Request Header Fields Too Large", text: "request head over 8 KiB\n")
        }
        let head: HTTPRequestHead
        do {
            head = try HTTPRequestHead.parse(bytes)
        } catch {
            return Self.response(400, "Bad Request", text: "\(error.message)\n")
        }
        guard head.count(of: "host") == 1, let host = head.field("host") else {
            return Self.response(400, "Bad Request", text: "expected exactly one Host header\n")
        }
        guard hosts.allows(host) else {
            return Self.response(
                421, "Misdirected Request", text: "this page answers only to 127.0.0.1:\(hosts.port) or localhost:\(hosts.port)\n"
            )
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            return Self.response(405, "Method Not Allowed", text: "only GET and HEAD\n", extra: "Allow: GET, HEAD\r\n")
        }
        guard head.field("transfer-encoding") == nil, head.fields.allSatisfy({ $0.name != "content-length" || $0.value == "0" })
        else { return Self.response(413, "Content Too Large", text: "the status page takes no request body\n") }
        let method = head.method
        let path = head.path
        let document = StatusPageDocument(status(), now: clock.nowMillis())
        var answer: [UInt8]
        switch path {
        case "/", "/index.html":
            answer = Self.response(200, "OK", type: "text/html; charset=utf-8", body: Array(document.html.utf8))
        case "/status.json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let body = (try? encoder.encode(document)).map { [UInt8]($0) } ?? Array("{}".utf8)
            answer = Self.response(200, "OK", type: "application/json", body: body + [10])
        default:
            return Self.response(404, "Not Found", text: "no page '\(path)': try / or /status.json\n")
        }
        if method == "HEAD", let end = Self.endOfHead(answer) { answer = Array(answer[..<end]) }
        return answer
    }

    static func response(_ code: Int, _ reason: String, text: String, extra: String = "") -> [UInt8] {
        response(code, reason, type: "text/plain; charset=utf-8", body: Array(text.utf8), extra: extra)
    }

    static func response(_ code: Int, _ reason: String, type: String, body: [UInt8], extra: String = "") -> [UInt8] {
        let head =
            "HTTP/1.1 \(code) \(reason)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\n"
            + "Cache-Control: no-store\r\nConnection: close\r\n\(extra)\r\n"
        return Array(head.utf8) + body
    }

    static func endOfHead(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index - 3...index] == [13, 10, 13, 10] { return index + 1 }
        return nil
    }
}

/// The figures of the status page (`GET /status.json`).
struct StatusPageDocument: Encodable {
    /// `idle` (空闲), `streaming` (正在直播), `finished` (已结束).
    var state: String
    var secondsLeft: Int64?
    var spotcheck: SpotCheckLiveStatus?

    enum CodingKeys: String, CodingKey {
        case state, spotcheck
        case secondsLeft = "seconds_left"
    }

    init(_ status: SpotCheckLiveStatus?, now: Int64) {
        spotcheck = status
        switch status?.state {
        case nil: state = "idle"
        case "finished": state = "finished"
        default: state = "streaming"
        }
        secondsLeft = state == "streaming" ? status.map { max(0, ($0.lessonEnd - now) / 1000) } : nil
    }

    var html: String {
        let patrol = spotcheck?.purpose == "patrol"
        let title = ["idle": "空闲", "streaming": patrol ? "正在巡课" : "正在直播", "finished": "已结束"][state] ?? state
        var rows: [(String, String)] = []
        if let s = spotcheck {
            // The teacher always knows who looks in: a patrol (巡课) says so.
            rows.append(("类型", patrol ? "巡课（学校或教研员远程听课）" : "直播抽查"))
            rows.append(("教师", s.teacherName))
            rows.append(("科目", s.subject))
            if let left = secondsLeft { rows.append(("剩余时间", "\(left / 60) 分 \(left % 60) 秒")) }
            rows.append(("已发送", "\(s.frames) 帧，\(s.bytes / 1024) KB"))
            rows.append(("讲话占比", "\(Int((s.speechRatio * 100).rounded()))%"))
            if s.restarts > 0 { rows.append(("重新连接", "\(s.restarts) 次")) }
            if let outcome = s.outcome { rows.append(("结果", outcome)) }
            rows.append(("抽查编号", s.orderID))
        } else {
            rows.append(("说明", "本机当前没有直播抽查任务。"))
        }
        let table = rows.map { "<tr><th>\(HTMLEscape.escape($0.0))</th><td>\(HTMLEscape.escape($0.1))</td></tr>" }.joined(
            separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="5">
            <title>课堂直播抽查：\(title)</title>
            <style>body{font-family:sans-serif;margin:2em}h1{font-size:2em}th{text-align:left;padding-right:1em}</style>
            </head>
            <body>
            <h1 class="state-\(state)">\(title)</h1>
            <table>
            \(table)
            </table>
            </body>
            </html>

            """
    }
}
