/// The `Retry-After` header of a 429/503 answer, read defensively (RFC 9110 §10.2.3).
///
/// - Important: the value comes from the network. Whatever it says, the wait is finite and within
///   0…``maximumSeconds``: `inf`, `NaN`, negative, huge and fractional numbers are clamped or refused,
///   an HTTP-date is turned into a delay from `now`, anything else is nil (the caller's own backoff).
public enum RetryAfter {
    /// The longest wait a collector can ask for (an hour).
    public static let maximumSeconds: Double = 3600

    /// Seconds to wait for header value `value`, or nil when it is absent or unreadable.
    ///
    /// - Parameter now: the agent's clock in milliseconds since 1970 (for the HTTP-date form).
    public static func seconds(_ value: String?, now: Int64) -> Double? {
        guard let value else { return nil }
        let text = value.trimmed
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        // delta-seconds is digits; numbers in other spellings are read too, but not Swift's hex floats.
        let words = ["inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "nan", "+nan", "-nan"]
        let numeric = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || [0x2B, 0x2D, 0x2E, 0x45, 0x65].contains($0) }
        if numeric || words.contains(text.lowercased()), let number = Double(text) {
            // Double("inf"), Double("nan") and Double("1e999") all parse: infinities clamp, NaN is unreadable.
            guard !number.isNaN else { return nil }
            return clamp(number)
        }
        guard let date = HTTPDate.millis(text) else { return nil }
        let (delta, overflow) = date.subtractingReportingOverflow(now)
        guard !overflow else { return nil }
        return clamp(Double(delta) / 1000)
    }

    static func clamp(_ seconds: Double) -> Double { min(max(seconds, 0), maximumSeconds) }
}

/// The IMF-fixdate form of an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), the only one senders may emit.
enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Milliseconds since 1970 of `text`, or nil when it is not an IMF-fixdate of the years 1970…9999.
    static func millis(_ text: String) -> Int64? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int64(parts[1]), (1...31).contains(day),
            let month = months.firstIndex(of: String(parts[2])),
            parts[3].count == 4, let year = Int64(parts[3]), (1970...9999).contains(year)
        else { return nil }
        let clock = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, clock.allSatisfy({ $0.count == 2 }), let hour = Int64(clock[0]),
            let minute = Int64(clock[1]), let second = Int64(clock[2]), (0...23).contains(hour),
            (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysFromCivil(year: year, month: Int64(month) + 1, day: day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
