import ClassroomCore
import ClassroomWire
import Foundation

/// A one-pass reader of an uploaded ``ClassroomWire/EventBatch`` in the shape agents write it, which
/// also finds each event's bytes for storing as sent: `JSONDecoder` took two fifths of the collector's
/// time at ingest (issue 18).
///
/// It never decides what is invalid. It reads what it fully understands — the batch object with
/// `sent_at` and `events`, heartbeats and usage minutes with exactly their fields, integers without a
/// fraction or exponent, ASCII strings without escapes — and gives the same values `JSONDecoder` would.
/// An event of another kind or shape is decoded alone by `JSONDecoder` (its bytes stored as sent unless
/// ``EventBytes`` finds them ambiguous). Anything else, and any event `JSONDecoder` refuses, gives nil:
/// the caller then decodes the whole body with `JSONDecoder`, whose errors (400 naming the field) stay
/// the answer to bad input.
enum EventBatchReader {
    /// A batch and, per event, the JSON to store.
    struct Read {
        var batch: EventBatch
        var bodies: [String]
    }

    static func read(_ bytes: UnsafeRawBufferPointer) -> Read? {
        var reader = BatchReader(bytes: bytes)
        return reader.batch()
    }
}

private struct BatchReader {
    let bytes: UnsafeRawBufferPointer
    var i = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func batch() -> EventBatchReader.Read? {
        var sentAt: Int64?
        var events: [AgentEvent]?
        var bodies: [String] = []
        guard take("{") else { return nil }
        repeat {
            guard let key = key() else { return nil }
            if Self.equal(key, "sent_at") {
                guard sentAt == nil, let v = integer() else { return nil }
                sentAt = v
            } else if Self.equal(key, "events") {
                guard events == nil else { return nil }
                var list: [AgentEvent] = []
                guard eventList(&list, &bodies) else { return nil }
                events = list
            } else {
                return nil
            }
        } while take(",")
        guard take("}"), let sentAt, let events else { return nil }
        skipSpace()
        guard i == bytes.count else { return nil }
        return EventBatchReader.Read(batch: EventBatch(sentAt: sentAt, events: events), bodies: bodies)
    }

    mutating func eventList(_ events: inout [AgentEvent], _ bodies: inout [String]) -> Bool {
        guard take("[") else { return false }
        if take("]") { return true }
        events.reserveCapacity(EventBatch.maximumEvents)
        bodies.reserveCapacity(EventBatch.maximumEvents)
        repeat {
            skipSpace()
            let start = i
            if let event = event() {
                events.append(event)
                bodies.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
            } else {
                // Another kind or shape: `JSONDecoder` reads this one event.
                i = start
                guard skipValue() else { return false }
                let element = UnsafeRawBufferPointer(rebasing: bytes[start..<i])
                guard let event = try? JSONDecoder().decode(AgentEvent.self, from: Data(element)) else { return false }
                events.append(event)
                if EventBytes.storable(element) {
                    bodies.append(String(decoding: element, as: UTF8.self))
                } else {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    guard let json = try? encoder.encode(event) else { return false }
                    bodies.append(String(decoding: json, as: UTF8.self))
                }
            }
        } while take(",")
        return take("]")
    }

    /// A heartbeat or usage minute with exactly its fields; nil for anything else.
    mutating func event() -> AgentEvent? {
        guard take("{") else { return nil }
        var seq: Int64?
        var at: Int64?
        var kind: Slice<UnsafeRawBufferPointer>?
        var heartbeat: Heartbeat?
        var minute: UsageMinute?
        repeat {
            guard let key = key() else { return nil }
            if Self.equal(key, "seq") {
                guard seq == nil, let v = integer() else { return nil }
                seq = v
            } else if Self.equal(key, "at") {
                guard at == nil, let v = integer() else { return nil }
                at = v
            } else if Self.equal(key, "kind") {
                guard kind == nil, let v = asciiString() else { return nil }
                kind = v
            } else if Self.equal(key, "heartbeat") {
                guard heartbeat == nil, minute == nil, let v = self.heartbeat() else { return nil }
                heartbeat = v
            } else if Self.equal(key, "usage_minute") {
                guard heartbeat == nil, minute == nil, let v = usageMinute() else { return nil }
                minute = v
            } else {
                return nil
            }
        } while take(",")
        guard take("}"), let seq, let at, let kind else { return nil }
        if let heartbeat, Self.equal(kind, "heartbeat") {
            return AgentEvent(seq: seq, at: at, body: .heartbeat(heartbeat))
        }
        if let minute, Self.equal(kind, "usage_minute") {
            return AgentEvent(seq: seq, at: at, body: .usageMinute(minute))
        }
        return nil
    }

    mutating func heartbeat() -> Heartbeat? {
        guard take("{") else { return nil }
        var version: String?
        var uptime: Int64?
        var queue: Int64?
        var dropped: Int64?
        repeat {
            guard let key = key() else { return nil }
            if Self.equal(key, "agent_version") {
                guard version == nil, let v = asciiString() else { return nil }
                version = String(decoding: v, as: UTF8.self)
            } else if Self.equal(key, "uptime_seconds") {
                guard uptime == nil, let v = integer() else { return nil }
                uptime = v
            } else if Self.equal(key, "queue_depth") {
                guard queue == nil, let v = integer() else { return nil }
                queue = v
            } else if Self.equal(key, "dropped_usage_total") {
                guard dropped == nil, let v = integer() else { return nil }
                dropped = v
            } else {
                return nil
            }
        } while take(",")
        guard take("}"), let version, let uptime, let queue, let dropped else { return nil }
        return Heartbeat(agentVersion: version, uptimeSeconds: uptime, queueDepth: Int(queue), droppedUsageTotal: dropped)
    }

    mutating func usageMinute() -> UsageMinute? {
        guard take("{") else { return nil }
        var start: Int64?
        var displayOn: Bool?
        var touches: Int64?
        var speech: Double?
        // Present as null or a number; absent is nil too.
        var mean: Double??
        var peak: Double??
        var clipping: Double?
        var present: DevicesPresent?
        repeat {
            guard let key = key() else { return nil }
            if Self.equal(key, "minute_start") {
                guard start == nil, let v = integer() else { return nil }
                start = v
            } else if Self.equal(key, "display_on") {
                guard displayOn == nil, let v = boolean() else { return nil }
                displayOn = v
            } else if Self.equal(key, "touch_events") {
                guard touches == nil, let v = integer() else { return nil }
                touches = v
            } else if Self.equal(key, "speech_seconds") {
                guard speech == nil, let v = number() else { return nil }
                speech = v
            } else if Self.equal(key, "mean_dbfs") {
                guard mean == nil, let v = optionalNumber() else { return nil }
                mean = v
            } else if Self.equal(key, "peak_dbfs") {
                guard peak == nil, let v = optionalNumber() else { return nil }
                peak = v
            } else if Self.equal(key, "clipping_ratio") {
                guard clipping == nil, let v = number() else { return nil }
                clipping = v
            } else if Self.equal(key, "devices_present") {
                guard present == nil, let v = devicesPresent() else { return nil }
                present = v
            } else {
                return nil
            }
        } while take(",")
        guard take("}"), let start, let displayOn, let touches, let speech, let clipping, let present else { return nil }
        return UsageMinute(
            minuteStart: start, displayOn: displayOn, touchEvents: Int(touches), speechSeconds: speech,
            meanDBFS: mean ?? nil, peakDBFS: peak ?? nil, clippingRatio: clipping, devicesPresent: present)
    }

    mutating func devicesPresent() -> DevicesPresent? {
        guard take("{") else { return nil }
        let names: [StaticString] = ["cameras", "microphones", "speakers", "touchscreens", "displays"]
        var counts: [Int64?] = [nil, nil, nil, nil, nil]
        repeat {
            guard let key = key(), let k = names.firstIndex(where: { Self.equal(key, $0) }), counts[k] == nil,
                let v = integer()
            else { return nil }
            counts[k] = v
        } while take(",")
        guard take("}"), let cameras = counts[0], let microphones = counts[1], let speakers = counts[2],
            let touchscreens = counts[3], let displays = counts[4]
        else { return nil }
        return DevicesPresent(
            cameras: Int(cameras), microphones: Int(microphones), speakers: Int(speakers), touchscreens: Int(touchscreens),
            displays: Int(displays))
    }

    // MARK: Tokens

    /// An object key and its colon.
    mutating func key() -> Slice<UnsafeRawBufferPointer>? {
        guard let key = asciiString(), take(":") else { return nil }
        return key
    }

    /// A string of printable ASCII without escapes: its content.
    mutating func asciiString() -> Slice<UnsafeRawBufferPointer>? {
        guard take("\"") else { return nil }
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return bytes[start..<i - 1]
            }
            guard c >= 0x20, c < 0x7F, c != UInt8(ascii: "\\") else { return nil }
            i += 1
        }
        return nil
    }

    /// `-?(0|[1-9][0-9]*)` within `Int64`, followed by a delimiter (a fraction or exponent is nil).
    mutating func integer() -> Int64? {
        skipSpace()
        let negative = peek == UInt8(ascii: "-")
        if negative { i += 1 }
        let start = i
        var value: Int64 = 0
        while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            let digit = Int64(c - UInt8(ascii: "0"))
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            // Accumulated negative for a negative number, so that Int64.min fits.
            let (s, o2) = negative ? m.subtractingReportingOverflow(digit) : m.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = s
            i += 1
        }
        let digits = i - start
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0"), atDelimiter else { return nil }
        // "-0" is left to `JSONDecoder`.
        if negative && value == 0 { return nil }
        return value
    }

    /// A JSON number read as `Double`; nil when not finite, or too small to be normal (left to `JSONDecoder`).
    mutating func number() -> Double? {
        skipSpace()
        let start = i
        if peek == UInt8(ascii: "-") { i += 1 }
        let integerStart = i
        guard digits(), i - integerStart == 1 || bytes[integerStart] != UInt8(ascii: "0") else { return nil }
        if peek == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return nil }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return nil }
        }
        guard atDelimiter else { return nil }
        let text = bytes[start..<i]
        guard let value = Double(String(decoding: text, as: UTF8.self)), value.isFinite else { return nil }
        if value == 0 {
            // Only a zero written as zero: an underflow to 0 is left to `JSONDecoder`.
            let mantissa = text.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }
            guard mantissa.allSatisfy({ $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
            else { return nil }
        } else if value.magnitude < Double.leastNormalMagnitude {
            return nil
        }
        return value
    }

    /// A number or `null` (`.some(nil)`); nil for anything else.
    mutating func optionalNumber() -> Double?? {
        if literal("null") { return .some(nil) }
        return number().map { .some($0) }
    }

    mutating func boolean() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    mutating func literal(_ word: StaticString) -> Bool {
        skipSpace()
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        let start = i
        let matches = word.withUTF8Buffer { w in (0..<n).allSatisfy { bytes[start + $0] == w[$0] } }
        guard matches else { return false }
        let saved = i
        i += n
        if atDelimiter { return true }
        i = saved
        return false
    }

    /// One or more decimal digits.
    mutating func digits() -> Bool {
        let start = i
        while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { i += 1 }
        return i > start
    }

    /// Any JSON value's extent (strings with their escapes, nested arrays and objects), for an event
    /// `JSONDecoder` then reads alone; false when it runs off the end or meets a stray delimiter.
    mutating func skipValue() -> Bool {
        var depth = 0
        repeat {
            skipSpace()
            guard let c = peek else { return false }
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return false }
                depth -= 1
                i += 1
            case UInt8(ascii: "\""):
                i += 1
                while true {
                    guard let s = peek else { return false }
                    i += 1
                    if s == UInt8(ascii: "\"") { break }
                    if s == UInt8(ascii: "\\") { i += 1 }
                }
            default:
                // A number, literal, colon or comma: up to the next string, container or comma.
                i += 1
                while let c = peek, !Self.structural(c) { i += 1 }
            }
        } while depth > 0
        return i <= bytes.count
    }

    /// Whether a key or string's bytes are `name` (a byte comparison; the generic `elementsEqual` of a
    /// slice and a `String.UTF8View` cost a twentieth of ingest).
    @inline(__always)
    static func equal(_ text: Slice<UnsafeRawBufferPointer>, _ name: StaticString) -> Bool {
        guard text.count == name.utf8CodeUnitCount else { return false }
        return text.count == 0 || memcmp(text.base.baseAddress! + text.startIndex, name.utf8Start, text.count) == 0
    }

    static func structural(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\""),
            UInt8(ascii: ","), UInt8(ascii: ":"):
            true
        default: false
        }
    }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    /// At the end or before `,` `}` `]` or white space: a number or literal ends here.
    var atDelimiter: Bool {
        guard let c = peek else { return true }
        switch c {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return true
        default: return false
        }
    }

    mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
    }

    /// Skips white space, then `c` if it is next.
    mutating func take(_ c: Unicode.Scalar) -> Bool {
        skipSpace()
        guard peek == UInt8(ascii: c) else { return false }
        i += 1
        return true
    }
}
