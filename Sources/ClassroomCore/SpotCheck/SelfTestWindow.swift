/// When the collector may schedule a recording room's weekly self-test publish (自检推流): a daily
/// wall-clock window (county zone), the weekdays it applies to and how long the publish lasts.
///
/// The default, 12:10–13:30 Monday to Friday for 60 s, is the midday break of most county timetables.
public struct SelfTestWindow: Sendable, Hashable {
    public var start: TimeOfDay
    public var end: TimeOfDay
    /// ISO weekdays (1 = Monday … 7 = Sunday), ascending.
    public var weekdays: [Int]
    /// How long the room publishes, in seconds (10…600).
    public var durationSeconds: Int

    public static let `default` = SelfTestWindow(
        start: TimeOfDay(hour: 12, minute: 10), end: TimeOfDay(hour: 13, minute: 30), weekdays: [1, 2, 3, 4, 5],
        durationSeconds: 60)

    public init(start: TimeOfDay, end: TimeOfDay, weekdays: [Int], durationSeconds: Int) {
        self.start = start
        self.end = end
        self.weekdays = weekdays
        self.durationSeconds = durationSeconds
    }

    /// Whole minutes the publish occupies (at least 1).
    public var durationMinutes: Int { max(1, (durationSeconds + 59) / 60) }

    /// Parses the three settings, each error naming its key (the option or config key it came from).
    ///
    /// - Parameters:
    ///   - window: `HH:MM-HH:MM` (also `–`), start before end, long enough for the publish.
    ///   - days: `mon-fri`, `mon,wed,fri`, `1-5` or `1,3,5`.
    ///   - seconds: 10…600.
    public static func parse(
        window: String, days: String, seconds: Int, keys: (window: String, days: String, seconds: String)
    ) throws(SelfTestWindowError) -> SelfTestWindow {
        guard (10...600).contains(seconds) else {
            throw SelfTestWindowError(key: keys.seconds, message: "must be 10…600 seconds, not \(seconds)")
        }
        let bounds = window.replacing("–", with: "-").split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = TimeOfDay(parsing: bounds[0].trimmed),
            let end = TimeOfDay(parsing: bounds[1].trimmed)
        else {
            throw SelfTestWindowError(key: keys.window, message: "must be HH:MM-HH:MM such as 12:10-13:30, not '\(window)'")
        }
        let minutes = max(1, (seconds + 59) / 60)
        guard end.minutes - start.minutes >= minutes else {
            throw SelfTestWindowError(
                key: keys.window, message: "'\(window)' must start before it ends and hold a \(seconds) s publish")
        }
        var weekdays: Set<Int> = []
        for part in days.lowercased().split(separator: ",", omittingEmptySubsequences: false) {
            let range = part.split(separator: "-", omittingEmptySubsequences: false).map { Self.weekday($0.trimmed) }
            guard (1...2).contains(range.count), let first = range.first ?? nil, let last = range.last ?? nil, first <= last
            else {
                throw SelfTestWindowError(
                    key: keys.days, message: "must be weekdays such as mon-fri or 1,3,5 (1 = Monday), not '\(days)'")
            }
            weekdays.formUnion(first...last)
        }
        return SelfTestWindow(start: start, end: end, weekdays: weekdays.sorted(), durationSeconds: seconds)
    }

    static func weekday(_ text: String) -> Int? {
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        if let i = names.firstIndex(of: String(text.prefix(3))), text.count >= 3 { return i + 1 }
        return Int(text).flatMap { (1...7).contains($0) ? $0 : nil }
    }
}

/// A self-test setting that cannot be used: the key it came from and why.
public struct SelfTestWindowError: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// `--selftest-window: must be HH:MM-HH:MM …`.
    public var description: String { "\(key): \(message)" }
}

extension Substring {
    fileprivate var trimmed: String { String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
