/// Live figures from ffmpeg's `-progress` output (`key=value` lines, a block ending with `progress=`).
public struct FFmpegProgress: Sendable, Hashable, Codable {
    public var frame: Int64 = 0
    public var totalSize: Int64 = 0
    public var outTimeMicroseconds: Int64 = 0
    /// Encoding speed relative to real time (`1.0x` → 1.0); nil while ffmpeg prints `N/A`.
    public var speed: Double?
    /// `continue` or `end`.
    public var state = "continue"

    public init() {}

    /// Applies one line; returns true when the line closed a block (`progress=…`). Unknown keys,
    /// `N/A` values and malformed lines are ignored.
    @discardableResult
    public mutating func apply(line: some StringProtocol) -> Bool {
        guard let equals = line.firstIndex(of: "=") else { return false }
        let key = line[..<equals].trimmingSpaces
        let value = line[line.index(after: equals)...].trimmingSpaces
        switch key {
        // Negative figures are nonsense from ffmpeg; they are ignored like N/A.
        case "frame": if let v = Int64(value), v >= 0 { frame = v }
        case "total_size": if let v = Int64(value), v >= 0 { totalSize = v }
        case "out_time_us": if let v = Int64(value), v >= 0 { outTimeMicroseconds = v }
        case "speed":
            speed = value.hasSuffix("x") ? Double(value.dropLast()) : nil
        case "progress":
            state = value
            return true
        default: break
        }
        return false
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
