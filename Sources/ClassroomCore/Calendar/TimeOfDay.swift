/// A local wall-clock time within a day, to the minute (`08:00`).
public struct TimeOfDay: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Minutes since local midnight, 0 ..< 1440.
    public var minutes: Int {
        get { Int(stored) }
        set { self = TimeOfDay(minutes: newValue) }
    }
    /// Two bytes, not eight: a province's timetable holds 14 million times.
    private var stored: Int16

    public init(minutes: Int) {
        precondition((0..<1440).contains(minutes), "TimeOfDay out of range: \(minutes)")
        stored = Int16(minutes)
    }

    public init(hour: Int, minute: Int) { self.init(minutes: hour * 60 + minute) }

    /// Parses `H:MM` or `HH:MM` (24-hour, `24:00` is not a time of day); nil when malformed.
    public init?(parsing text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// ``init(parsing:)`` over UTF-8 bytes.
    init?(utf8: some Sequence<UInt8>) {
        // Over the UTF-8 bytes, with no `Character` work: a province's timetable has 14 million times.
        var hour = 0
        var minute = 0
        var hourDigits = 0
        var minuteDigits = 0
        var colon = false
        for byte in utf8 {
            if byte == UInt8(ascii: ":") {
                guard !colon else { return nil }
                colon = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            if colon {
                minute = minute * 10 + digit
                minuteDigits += 1
            } else {
                hour = hour * 10 + digit
                hourDigits += 1
            }
            guard hourDigits <= 2, minuteDigits <= 2 else { return nil }
        }
        guard colon, hourDigits >= 1, minuteDigits == 2, hour < 24, minute < 60 else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    public static func < (a: Self, b: Self) -> Bool { a.minutes < b.minutes }

    /// `HH:MM`.
    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = TimeOfDay(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a time HH:MM: '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
