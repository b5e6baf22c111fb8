import ClassroomWire

/// The checks a spot-check order passes before the agent chimes, shows a notice or starts ffmpeg.
///
/// - Important: every field of an order comes from the network. The checks run before any arithmetic on
///   its times, so `Int64.min`/`Int64.max` windows are refused in words, never trapped on.
public enum SpotCheckOrderRules {
    /// The longest lesson window an order may have (4 h).
    public static let maximumWindowMillis: Int64 = 4 * 3_600_000
    /// The latest an order's lesson may end, after the agent's clock (one day).
    public static let horizonMillis: Int64 = 86_400_000
    /// The longest `order_id`.
    public static let maximumOrderIDLength = 64

    /// Why `order` is refused, or nil. `ingestHost` is the config's `ingest_host` pin (nil: any host).
    public static func problem(with order: SpotCheckOrderPayload, now: Int64, ingestHost: String? = nil) -> String? {
        let id = order.orderID
        guard !id.isEmpty, id.utf8.count <= maximumOrderIDLength, id.utf8.allSatisfy(isOrderIDByte) else {
            return "order_id must be 1 to 64 of A-Z a-z 0-9 _ - (found \(quoted(id)))"
        }
        if let problem = CommandRules.timeProblem("lesson_start", order.lessonStart, now: now) { return problem }
        if let problem = CommandRules.timeProblem("lesson_end", order.lessonEnd, now: now) { return problem }
        // Both times now lie within 2000 … now + 1 day: the subtractions below cannot overflow.
        guard order.lessonEnd > order.lessonStart else {
            return "the lesson window is empty (lesson_end \(order.lessonEnd) ≤ lesson_start \(order.lessonStart))"
        }
        guard order.lessonEnd - order.lessonStart <= maximumWindowMillis else {
            return "the lesson window is \((order.lessonEnd - order.lessonStart) / 60_000) min long; at most 240 min"
        }
        guard now < order.lessonEnd else {
            return "the lesson ended \((now - order.lessonEnd) / 1000) s ago (lesson_end \(order.lessonEnd))"
        }
        let url = order.ingestURL
        guard let host = host(ofIngestURL: url), url.utf8.count <= 2048,
            url.split(separator: "/", omittingEmptySubsequences: true).count >= 3,
            !url.contains(where: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        else { return "ingest_url \(quoted(url)) is not an rtmp:// URL with an application and a stream key" }
        if let pinned = ingestHost, host.lowercased() != pinned.lowercased() {
            return "ingest_url host '\(host)' is not the configured ingest_host '\(pinned)'"
        }
        return nil
    }

    /// The host of an `rtmp://` or `rtmps://` URL (without user info, port or IPv6 brackets), or nil.
    public static func host(ofIngestURL url: String) -> String? {
        let rest: Substring
        if url.hasPrefix("rtmp://") {
            rest = url.dropFirst(7)
        } else if url.hasPrefix("rtmps://") {
            rest = url.dropFirst(8)
        } else {
            return nil
        }
        var authority = rest.prefix { $0 != "/" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
        } else {
            host = authority.prefix { $0 != ":" }
        }
        return host.isEmpty ? nil : String(host)
    }

    static func isOrderIDByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    /// `text` quoted for a message, cut to 80 characters.
    static func quoted(_ text: String) -> String {
        text.count <= 80 ? "'\(text)'" : "'\(text.prefix(80))…' (\(text.utf8.count) bytes)"
    }
}
