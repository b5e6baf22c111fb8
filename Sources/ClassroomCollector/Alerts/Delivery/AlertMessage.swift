import ClassroomCore
import Foundation

/// The text of one notification: WeCom markdown and an email, in Chinese (the bureau's and the
/// schools' language), with the English detail for the email's second half.
struct AlertMessage: Sendable {
    let notification: AlertNotification
    let zone: CountyTimeZone
    let consoleURL: String?

    /// WeCom limits markdown content to 4096 bytes of UTF-8.
    static let wecomContentLimit = 4096

    var title: String {
        let alert = notification.alert
        return notification.transition == .opened
            ? "【设备告警】\(alert.kind.chineseTitle)" : "【告警解除】\(alert.kind.chineseTitle)"
    }

    var place: [String] {
        let a = notification.alert
        var lines = ["学校：\(a.schoolID)"]
        if let room = a.roomID { lines.append("教室：\(room)") }
        if let device = a.deviceID { lines.append("终端：\(device)") }
        return lines
    }

    /// The `markdown.content` of the WeCom message, cut at a character boundary to the limit.
    var wecomMarkdown: String {
        let a = notification.alert
        let color = notification.transition == .opened ? "warning" : "info"
        var lines = ["### <font color=\"\(color)\">\(title)</font>"]
        lines += place.map { "> \($0)" }
        lines.append("> 详情：\(a.chineseDetail)")
        lines.append("> 开始：\(local(a.openedAt))")
        if let closed = a.closedAt { lines.append("> 解除：\(local(closed))") }
        if let consoleURL { lines.append("[在控制台查看](\(consoleURL)/alerts)") }
        return Self.truncated(lines.joined(separator: "\n"), bytes: Self.wecomContentLimit)
    }

    /// The JSON body of the webhook request.
    var wecomBody: Data {
        let body: [String: Any] = ["msgtype": "markdown", "markdown": ["content": wecomMarkdown]]
        return (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
    }

    /// A complete message for `sendmail -t`: headers (subject RFC 2047 encoded) and a UTF-8 body.
    func email(from: String, to: String) -> String {
        let a = notification.alert
        let subject = "=?UTF-8?B?\(Data(title.utf8).base64EncodedString())?="
        var body = [title, ""] + place
        body.append("详情：\(a.chineseDetail)")
        body.append("开始：\(local(a.openedAt))")
        if let closed = a.closedAt { body.append("解除：\(local(closed))") }
        if let consoleURL { body.append("控制台：\(consoleURL)/alerts") }
        body += ["", "---", "\(notification.transition == .opened ? "Alert opened" : "Alert closed"): \(a.kind.englishTitle)"]
        body.append("School \(a.schoolID)\(a.roomID.map { ", room \($0)" } ?? "")\(a.deviceID.map { ", device \($0)" } ?? "")")
        body.append(a.detail)
        return """
            From: \(Self.headerSafe(from))
            To: \(Self.headerSafe(to))
            Subject: \(subject)
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8
            Content-Transfer-Encoding: 8bit
            X-ClassroomFleet-Alert: \(Self.headerSafe(a.key)) \(notification.transition.rawValue)

            \(body.joined(separator: "\n"))

            """
    }

    func local(_ millis: Int64) -> String {
        let t = zone.localTime(of: Date(timeIntervalSince1970: Double(millis) / 1000))
        return "\(t.date) \(t.time)"
    }

    /// `text` cut to at most `bytes` bytes of UTF-8 without splitting a character.
    static func truncated(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let n = String(ch).utf8.count
            if used + n + 3 > bytes { break }
            out.append(ch)
            used += n
        }
        return out + "…"
    }

    /// A header value without line breaks (no header injection from ids or configuration).
    static func headerSafe(_ value: String) -> String {
        String(value.filter { $0 != "\n" && $0 != "\r" })
    }
}
