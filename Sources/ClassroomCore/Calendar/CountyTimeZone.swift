#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The county's time zone (default `Asia/Shanghai`), read from the system's tz database.
///
/// The agent links FoundationEssentials only, which has no named time zones, so this reads the
/// compiled TZif data (RFC 8536) itself: transitions for the past, the POSIX TZ footer for the
/// future. Lesson times are wall-clock times in this zone; instants are `Date`.
public struct CountyTimeZone: Sendable, Hashable {
    public let identifier: String
    private let transitions: [Int64]
    private let transitionOffsets: [Int32]
    private let initialOffset: Int32
    private let rule: PosixTZRule?

    /// Builds the zone from TZif bytes. Throws ``CountyTimeZoneError`` on malformed data.
    public init(identifier: String, tzif bytes: [UInt8]) throws(CountyTimeZoneError) {
        self.identifier = identifier
        var r = TZifReader(bytes: bytes, identifier: identifier)
        let parsed = try r.parse()
        transitions = parsed.transitions
        transitionOffsets = parsed.offsets
        initialOffset = parsed.initialOffset
        rule = parsed.footer.isEmpty ? nil : PosixTZRule(parsing: parsed.footer)
        if !parsed.footer.isEmpty, rule == nil {
            throw CountyTimeZoneError(identifier: identifier, message: "unsupported TZ rule '\(parsed.footer)'")
        }
    }

    /// A zone with a fixed offset from UTC, for tests and for zones given as `UTC+8`.
    public init(fixedOffsetSeconds: Int) {
        identifier = "UTC" + (fixedOffsetSeconds >= 0 ? "+" : "-") + String(abs(fixedOffsetSeconds) / 3600)
        transitions = []
        transitionOffsets = []
        initialOffset = Int32(fixedOffsetSeconds)
        rule = nil
    }

    /// Seconds east of UTC at `instant`.
    public func secondsFromGMT(at instant: Date) -> Int {
        let t = Int64(instant.timeIntervalSince1970.rounded(.down))
        if let last = transitions.last, t >= last, let rule {
            return rule.offset(atUTC: t)
        }
        guard let first = transitions.first, t >= first else {
            if transitions.isEmpty, let rule { return rule.offset(atUTC: t) }
            return Int(initialOffset)
        }
        var lo = 0
        var hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return Int(transitionOffsets[lo])
    }

    /// The instant at which local wall-clock `time` on `date` occurs. In a gap (spring forward) the
    /// result is the instant the wall clock jumps past; in an overlap the earlier one.
    public func instant(of date: LocalDate, at time: TimeOfDay, second: Int = 0) -> Date {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(time.minutes * 60 + second)
        let guess = local - Int64(secondsFromGMT(at: Date(timeIntervalSince1970: Double(local))))
        let offset = Int64(secondsFromGMT(at: Date(timeIntervalSince1970: Double(guess))))
        return Date(timeIntervalSince1970: Double(local - offset))
    }

    /// The local date, time of day and second within the minute of `instant`.
    public func localTime(of instant: Date) -> (date: LocalDate, time: TimeOfDay, second: Int) {
        let t = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(secondsFromGMT(at: instant))
        let days = Int(t >= 0 ? t / 86_400 : (t - 86_399) / 86_400)
        let inDay = Int(t - Int64(days) * 86_400)
        return (LocalDate(daysSinceEpoch: days), TimeOfDay(minutes: inDay / 60), inDay % 60)
    }
}

/// A time zone that could not be read or understood.
public struct CountyTimeZoneError: Error, Sendable, Hashable, CustomStringConvertible {
    public var identifier: String
    public var message: String

    public var description: String { "time zone \(identifier): \(message)" }
}

extension CountyTimeZone {
    /// Reads `identifier` (such as `Asia/Shanghai`) from the system tz database.
    ///
    /// - Important: the one file ClassroomCore reads: tz data is platform data, like the standard
    ///   library's own, and every program (agent, collector, CLI) needs the same zone logic.
    public static func named(_ identifier: String, zoneinfo: String = "/usr/share/zoneinfo") throws(CountyTimeZoneError)
        -> CountyTimeZone
    {
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.split(separator: "/").contains("..") else {
            throw CountyTimeZoneError(identifier: identifier, message: "not a time zone name")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(filePath: zoneinfo + "/" + identifier))
        } catch {
            throw CountyTimeZoneError(
                identifier: identifier, message: "not found in \(zoneinfo) (is the tzdata package installed?)")
        }
        return try CountyTimeZone(identifier: identifier, tzif: [UInt8](data))
    }
}

private struct TZifReader {
    let bytes: [UInt8]
    let identifier: String
    var position = 0

    struct Parsed {
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        var initialOffset: Int32 = 0
        var footer = ""
    }

    mutating func fail(_ message: String) -> CountyTimeZoneError {
        CountyTimeZoneError(identifier: identifier, message: "malformed TZif data: \(message)")
    }

    mutating func take(_ n: Int) throws(CountyTimeZoneError) -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else { throw fail("truncated") }
        defer { position += n }
        return bytes[position..<position + n]
    }

    mutating func int(_ width: Int) throws(CountyTimeZoneError) -> Int64 {
        let s = try take(width)
        var v: UInt64 = 0
        for b in s { v = v << 8 | UInt64(b) }
        if width == 4 { return Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: v))) }
        return Int64(bitPattern: v)
    }

    mutating func parse() throws(CountyTimeZoneError) -> Parsed {
        guard try take(4).elementsEqual("TZif".utf8) else { throw fail("no TZif magic") }
        let version = try take(1).first!
        _ = try take(15)
        var counts = try (0..<6).map { _ throws(CountyTimeZoneError) in Int(try int(4)) }
        var timeWidth = 4
        if version >= UInt8(ascii: "2") {
            // Skip the 32-bit block; the 64-bit one follows with its own header.
            let (isut, isstd, leap, time, type, char) = (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])
            _ = try take(time * 5 + type * 6 + char + leap * 8 + isstd + isut)
            guard try take(4).elementsEqual("TZif".utf8) else { throw fail("no second header") }
            _ = try take(16)
            counts = try (0..<6).map { _ throws(CountyTimeZoneError) in Int(try int(4)) }
            timeWidth = 8
        }
        let (isut, isstd, leap, time, type, char) = (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])
        guard type > 0 else { throw fail("no local time types") }
        var parsed = Parsed()
        parsed.transitions = try (0..<time).map { _ throws(CountyTimeZoneError) in try int(timeWidth) }
        let indices = try take(time).map(Int.init)
        var types: [(offset: Int32, isDST: Bool)] = []
        for _ in 0..<type {
            let off = Int32(try int(4))
            let dst = try take(1).first! != 0
            _ = try take(1)
            types.append((off, dst))
        }
        _ = try take(char + leap * (timeWidth + 4) + isstd + isut)
        guard indices.allSatisfy({ $0 < types.count }) else { throw fail("type index out of range") }
        parsed.offsets = indices.map { types[$0].offset }
        parsed.initialOffset = (types.first { !$0.isDST } ?? types[0]).offset
        if timeWidth == 8, position < bytes.count, bytes[position] == UInt8(ascii: "\n") {
            let rest = bytes[(position + 1)...]
            if let end = rest.firstIndex(of: UInt8(ascii: "\n")) {
                parsed.footer = String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
            }
        }
        return parsed
    }
}

/// A POSIX TZ string such as `CST-8` or `CET-1CEST,M3.5.0,M10.5.0/3` (the `M` rule form).
struct PosixTZRule: Sendable, Hashable {
    struct Boundary: Sendable, Hashable {
        var month: Int
        var week: Int
        var weekday: Int
        var secondsIntoDay: Int
    }

    var standardOffset: Int
    var dst: (offset: Int, start: Boundary, end: Boundary)?

    static func == (a: Self, b: Self) -> Bool {
        a.standardOffset == b.standardOffset && a.dst?.offset == b.dst?.offset && a.dst?.start == b.dst?.start
            && a.dst?.end == b.dst?.end
    }

    func hash(into h: inout Hasher) {
        h.combine(standardOffset)
        h.combine(dst?.offset)
    }

    init?(parsing text: String) {
        var s = Substring(text)
        func name() -> Bool {
            if s.first == "<" {
                guard let close = s.firstIndex(of: ">") else { return false }
                s = s[s.index(after: close)...]
                return true
            }
            let n = s.prefix(while: { $0.isLetter })
            guard n.count >= 3 else { return false }
            s = s.dropFirst(n.count)
            return true
        }
        func offset() -> Int? {
            var sign = 1
            if s.first == "+" {
                s = s.dropFirst()
            } else if s.first == "-" {
                sign = -1
                s = s.dropFirst()
            }
            var parts: [Int] = []
            while parts.count < 3 {
                let digits = s.prefix(while: { $0.isASCIIDigit })
                guard !digits.isEmpty, let v = Int(digits) else { return nil }
                parts.append(v)
                s = s.dropFirst(digits.count)
                guard s.first == ":" else { break }
                s = s.dropFirst()
            }
            let secs = parts[0] * 3600 + (parts.count > 1 ? parts[1] * 60 : 0) + (parts.count > 2 ? parts[2] : 0)
            return sign * secs
        }
        func boundary() -> Boundary? {
            guard s.first == "M" else { return nil }
            s = s.dropFirst()
            let fields = s.prefix(while: { $0.isASCIIDigit || $0 == "." }).split(separator: ".").compactMap { Int($0) }
            s = s.dropFirst(s.prefix(while: { $0.isASCIIDigit || $0 == "." }).count)
            guard fields.count == 3 else { return nil }
            var at = 7200
            if s.first == "/" {
                s = s.dropFirst()
                guard let t = offset() else { return nil }
                at = t
            }
            return Boundary(month: fields[0], week: fields[1], weekday: fields[2], secondsIntoDay: at)
        }
        guard name(), let std = offset() else { return nil }
        standardOffset = -std
        if s.isEmpty {
            dst = nil
            return
        }
        guard name() else { return nil }
        var dstOffset = standardOffset + 3600
        if s.first != ",", !s.isEmpty {
            guard let o = offset() else { return nil }
            dstOffset = -o
        }
        guard s.first == "," else { return nil }
        s = s.dropFirst()
        guard let start = boundary(), s.first == "," else { return nil }
        s = s.dropFirst()
        guard let end = boundary(), s.isEmpty else { return nil }
        dst = (dstOffset, start, end)
    }

    func offset(atUTC t: Int64) -> Int {
        guard let dst else { return standardOffset }
        let year = LocalDate(daysSinceEpoch: Int((t + Int64(standardOffset)) / 86_400)).year
        // Start is given in standard local time, end in daylight local time.
        let start = Self.instant(dst.start, year: year) - Int64(standardOffset)
        let end = Self.instant(dst.end, year: year) - Int64(dst.offset)
        let inDST = start < end ? (t >= start && t < end) : !(t >= end && t < start)
        return inDST ? dst.offset : standardOffset
    }

    /// Local seconds since epoch of a rule boundary in `year`.
    static func instant(_ b: Boundary, year: Int) -> Int64 {
        let first = LocalDate(year: year, month: b.month, day: 1)
        let wantedWeekday = b.weekday == 0 ? 7 : b.weekday
        var day = 1 + (wantedWeekday - first.weekday + 7) % 7 + (b.week - 1) * 7
        let dim = LocalDate.daysIn(year: year, month: b.month)
        while day > dim { day -= 7 }
        return Int64(LocalDate(year: year, month: b.month, day: day).daysSinceEpoch) * 86_400 + Int64(b.secondsIntoDay)
    }
}
