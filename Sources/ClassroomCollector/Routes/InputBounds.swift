/// Range checks on numbers that arrive from the network, made before any arithmetic on them, so
/// that no request can make the collector trap (Swift stops the process on integer overflow and
/// on converting a non-finite or out-of-range `Double` to an integer).
///
/// - Important: every check throws a 400 ``APIError`` naming the field, such as
///   `field 'events[3].at': …`, and does no arithmetic that could itself overflow.
enum InputBounds {
    /// 2000-01-01T00:00:00Z in milliseconds since 1970: no classroom machine's clock is earlier
    /// (systemd moves a clock behind its own build date forward at boot).
    static let earliestTime: Int64 = 946_684_800_000
    /// How far ahead of the collector's clock a time may be: a day of clock drift.
    static let maximumLead: Int64 = 86_400_000

    /// A time in milliseconds since 1970 on a device's clock: from 2000-01-01 to a day after `now`.
    static func time(_ value: Int64, field: @autoclosure () -> String, now: Int64) throws {
        guard value >= earliestTime else {
            throw APIError.badRequest(
                "field '\(field())': \(value) is before 2000-01-01 (milliseconds since 1970 expected)")
        }
        let (latest, overflow) = now.addingReportingOverflow(maximumLead)
        guard overflow || value <= latest else {
            throw APIError.badRequest(
                "field '\(field())': \(value) is more than a day ahead of the collector's clock (\(now))")
        }
    }

    /// A whole number in `range`.
    static func integer<T: BinaryInteger>(_ value: T, field: @autoclosure () -> String, in range: ClosedRange<T>) throws {
        guard range.contains(value) else {
            throw APIError.badRequest("field '\(field())': \(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
    }

    /// A finite number in `range`.
    static func number(_ value: Double, field: @autoclosure () -> String, in range: ClosedRange<Double>) throws {
        guard value.isFinite else { throw APIError.badRequest("field '\(field())': \(value) is not a finite number") }
        guard range.contains(value) else {
            throw APIError.badRequest("field '\(field())': \(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
    }

    /// `a + b`, or a 400 naming `field` when the sum does not fit in 64 bits.
    static func sum(_ a: Int64, _ b: Int64, field: @autoclosure () -> String) throws -> Int64 {
        let (value, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw APIError.badRequest("field '\(field())': \(a) + \(b) does not fit in 64 bits") }
        return value
    }

    /// `a - b`, or a 400 naming `field` when the difference does not fit in 64 bits.
    static func difference(_ a: Int64, _ b: Int64, field: @autoclosure () -> String) throws -> Int64 {
        let (value, overflow) = a.subtractingReportingOverflow(b)
        guard !overflow else { throw APIError.badRequest("field '\(field())': \(a) − \(b) does not fit in 64 bits") }
        return value
    }
}
