/// Live viewing of a called lesson or a patrol (听课/巡课): the public stream name of an order, the URL
/// of its HLS, and the parsing of that URL when nginx asks whether a viewer may have it.
///
/// The collector answers nginx-rtmp's `on_publish` with a redirect to ``publicStreamName(orderID:)``,
/// so the media server names the HLS folder (and a recording) after the order, never after the
/// secret stream key; nginx's HTTP site serves `/media/hls/lesson-ORDER/…` only after
/// `GET /console/media/authorize` allowed it (``MediaAuthorization``).
public enum LessonViewing {
    /// A viewer's view stays one view while its player asks again within this gap (30 s); after a
    /// longer silence the next request starts a new view in the view log.
    public static let idleMillis: Int64 = 30_000

    /// The prefix of every public stream name.
    public static let streamPrefix = "lesson-"

    /// The URL prefix of the HLS files on nginx's HTTP site (`Deploy/media/nginx-site.conf`).
    public static let hlsPrefix = "/media/hls/"

    /// `lesson-<orderID>`: the name nginx-rtmp gives the stream once the collector allowed it.
    public static func publicStreamName(orderID: String) -> String { streamPrefix + orderID }

    /// The order of a public stream name, nil when `name` is not one (a stream key, anything else).
    public static func orderID(publicStreamName name: some StringProtocol) -> String? {
        guard name.hasPrefix(streamPrefix) else { return nil }
        let id = name.dropFirst(streamPrefix.count)
        return isOrderID(id) ? String(id) : nil
    }

    /// The playlist a viewer's player loads: `/media/hls/lesson-<orderID>/index.m3u8`.
    public static func playlistPath(orderID: String) -> String {
        hlsPrefix + publicStreamName(orderID: orderID) + "/index.m3u8"
    }

    /// The order whose HLS `uri` asks for (the request line's path, as nginx received it), or nil
    /// unless `uri` is exactly `/media/hls/lesson-<id>/index.m3u8` or `/media/hls/lesson-<id>/<n>.ts`
    /// (a query is ignored, as nginx ignores it when it serves the file).
    ///
    /// - Important: strict on purpose: the path is the raw request line, so anything nginx would
    ///   normalize to another file (`..`, `//`, `%2e`, `;`) is refused rather than interpreted.
    public static func orderID(hlsURI uri: some StringProtocol) -> String? {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        guard path.hasPrefix(hlsPrefix) else { return nil }
        let parts = path.dropFirst(hlsPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = orderID(publicStreamName: parts[0]), isMediaFile(parts[1]) else { return nil }
        return id
    }

    /// An order id as the collector makes them (`2026-W48-03`, `now-1a2b3c4d`): 1–64 ASCII letters,
    /// digits and hyphens.
    public static func isOrderID(_ id: some StringProtocol) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// `index.m3u8`, or a fragment `<digits>.ts` as nginx-rtmp names them with `hls_nested on`.
    static func isMediaFile(_ name: some StringProtocol) -> Bool {
        if name == "index.m3u8" { return true }
        guard name.hasSuffix(".ts") else { return false }
        let digits = name.utf8.dropLast(3)
        return (1...20).contains(digits.count) && digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
