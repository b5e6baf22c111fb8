import Foundation

/// One numeric input of a route: where it goes and how to build a request with a raw JSON token
/// (or query text) in its place. `@@` in `template` marks the spot.
struct NumericInput: Sendable, CustomStringConvertible {
    enum Auth: Sendable { case device, admin }
    enum Place: Sendable {
        /// A JSON body; the token replaces `"@@"`.
        case json(String)
        /// A query parameter: the text replaces `@@` in the URI (percent-encoded).
        case query(String)
        /// The JSON of an evidence payload, carried in base64 inside an event batch.
        case evidencePayload(String)
        /// A CSV file of the registry import, the value replacing `@@`.
        case registry(file: String, csv: String)
    }

    var route: String
    /// The field as the API names it (its last component is what the OpenAPI document names).
    var field: String
    var auth: Auth
    var place: Place

    var method: String { String(route.split(separator: " ")[0]) }
    var path: String { String(route.split(separator: " ")[1]) }
    var leaf: String { String(field.split(separator: ".").last!.split(separator: "[").first!) }
    var description: String { "\(route) \(field)" }
}

/// The numeric inputs of every agent and operator route, and the hostile values sent to each.
enum HostileNumbers {
    /// JSON tokens: 64-bit extremes, small edges, too large, not finite, not a number.
    static let jsonTokens = [
        "-9223372036854775808", "9223372036854775807", "-1", "0", "1e300", "NaN", "\"NaN\"", "1e999", "-0.0",
        "18446744073709551616", "Infinity", "null", "[]", "{}",
    ]
    /// Query and CSV text.
    static let textTokens = [
        "-9223372036854775808", "9223372036854775807", "-1", "0", "1e300", "NaN", "99999999999999999999", "0x10", "",
        " 1",
    ]

    static func json(_ object: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func heartbeat(_ h: [String: Any], seq: Any = 1, at: Any = "{now}") -> [String: Any] {
        ["seq": seq, "at": at, "kind": "heartbeat", "heartbeat": h]
    }
    static var goodHeartbeat: [String: Any] {
        ["agent_version": "0.1.0", "uptime_seconds": 5, "queue_depth": 0, "dropped_usage_total": 0]
    }

    static func batch(_ events: [[String: Any]], sentAt: Any = "{now}") -> String {
        json(["sent_at": sentAt, "events": events])
    }

    static func replacing(_ dict: [String: Any], _ key: String) -> [String: Any] {
        var d = dict
        d[key] = "@@"
        return d
    }

    static func usageMinute(_ key: String, devices: String? = nil) -> String {
        var present: [String: Any] = ["cameras": 1, "microphones": 1, "speakers": 0, "touchscreens": 1, "displays": 1]
        if let devices { present[devices] = "@@" }
        var m: [String: Any] = [
            "minute_start": "{now}", "display_on": true, "touch_events": 3, "speech_seconds": 12.5, "mean_dbfs": -40.0,
            "peak_dbfs": -6.0, "clipping_ratio": 0.0, "devices_present": present,
        ]
        if devices == nil { m[key] = "@@" }
        return batch([["seq": 1, "at": "{now}", "kind": "usage_minute", "usage_minute": m]])
    }

    static func inventory(microphone: String? = nil, backlight: String? = nil) -> String {
        var mic: [String: Any] = ["id": "m", "card": 0, "device": 0, "name": "mic", "pcm": "hw:0,0", "devnode": "/dev/snd/x"]
        if let microphone { mic[microphone] = "@@" }
        var light: [String: Any] = ["name": "bl", "power": 0, "brightness": 5, "max_brightness": 10]
        if let backlight { light[backlight] = "@@" }
        let inventory: [String: Any] = [
            "cameras": [], "microphones": [mic], "speakers": [], "touchscreens": [], "displays": [], "backlights": [light],
            "network": [],
        ]
        return batch([["seq": 1, "at": "{now}", "kind": "inventory_snapshot", "inventory": inventory]])
    }

    static func evidence(_ key: String) -> String {
        var p: [String: Any] = [
            "order_id": "o1", "started_at": "{now}", "ended_at": "{now}", "frames": 100, "bytes_sent": 1000,
            "speech_ratio": 0.5, "camera": "c", "microphone": "m", "ffmpeg_exit": 0,
        ]
        p[key] = "@@"
        return json(p)
    }

    static let events = "POST /api/v1/agent/events"

    /// Every numeric input. The test fails when the OpenAPI document names one that is missing here.
    static let inputs: [NumericInput] = {
        var list: [NumericInput] = [
            NumericInput(
                route: events, field: "sent_at", auth: .device, place: .json(batch([heartbeat(goodHeartbeat)], sentAt: "@@"))),
            NumericInput(
                route: events, field: "events[0].seq", auth: .device, place: .json(batch([heartbeat(goodHeartbeat, seq: "@@")]))),
            NumericInput(
                route: events, field: "events[0].at", auth: .device, place: .json(batch([heartbeat(goodHeartbeat, at: "@@")]))),
        ]
        for key in ["uptime_seconds", "queue_depth", "dropped_usage_total"] {
            list.append(
                NumericInput(
                    route: events, field: "events[0].heartbeat.\(key)", auth: .device,
                    place: .json(batch([heartbeat(replacing(goodHeartbeat, key))]))))
        }
        for key in ["minute_start", "touch_events", "speech_seconds", "mean_dbfs", "peak_dbfs", "clipping_ratio"] {
            list.append(
                NumericInput(route: events, field: "events[0].usage_minute.\(key)", auth: .device, place: .json(usageMinute(key)))
            )
        }
        for key in ["cameras", "microphones", "speakers", "touchscreens", "displays"] {
            list.append(
                NumericInput(
                    route: events, field: "events[0].usage_minute.devices_present.\(key)", auth: .device,
                    place: .json(usageMinute("", devices: key))))
        }
        for key in ["count", "oldest", "newest"] {
            var dropped: [String: Any] = ["count": 3, "oldest": "{now}", "newest": "{now}"]
            dropped[key] = "@@"
            list.append(
                NumericInput(
                    route: events, field: "events[0].dropped.\(key)", auth: .device,
                    place: .json(batch([["seq": 1, "at": "{now}", "kind": "usage_dropped", "dropped": dropped]]))))
        }
        for key in ["card", "device"] {
            list.append(
                NumericInput(
                    route: events, field: "events[0].inventory.microphones[0].\(key)", auth: .device,
                    place: .json(inventory(microphone: key))))
        }
        for key in ["power", "brightness", "max_brightness"] {
            list.append(
                NumericInput(
                    route: events, field: "events[0].inventory.backlights[0].\(key)", auth: .device,
                    place: .json(inventory(backlight: key))))
        }
        for key in ["started_at", "ended_at", "frames", "bytes_sent", "speech_ratio", "ffmpeg_exit"] {
            list.append(
                NumericInput(
                    route: events, field: "events[0].evidence.payload.\(key)", auth: .device,
                    place: .evidencePayload(evidence(key))))
        }
        list += [
            NumericInput(
                route: "GET /api/v1/agent/commands", field: "wait", auth: .device, place: .query("/api/v1/agent/commands?wait=@@")
            ),
            NumericInput(
                route: "POST /api/v1/enrollment-tokens", field: "max_uses", auth: .admin,
                place: .json(#"{"school_id": "S1", "max_uses": "@@", "expires_in_seconds": 600}"#)),
            NumericInput(
                route: "POST /api/v1/enrollment-tokens", field: "expires_in_seconds", auth: .admin,
                place: .json(#"{"school_id": "S1", "max_uses": 1, "expires_in_seconds": "@@"}"#)),
            NumericInput(
                route: "POST /api/v1/tokens", field: "expires_at", auth: .admin,
                place: .json(#"{"role": "auditor", "name": "n", "expires_at": "@@"}"#)),
            NumericInput(
                route: "POST /api/v1/tokens", field: "expires_in", auth: .admin,
                place: .json(#"{"role": "auditor", "name": "n", "expires_in": "@@"}"#)),
            NumericInput(route: "GET /api/v1/audit", field: "limit", auth: .admin, place: .query("/api/v1/audit?limit=@@")),
            NumericInput(
                route: "POST /api/v1/spotcheck/draws", field: "count", auth: .admin,
                place: .json(#"{"week": "2026-W40", "count": "@@"}"#)),
            NumericInput(
                route: "PUT /api/v1/lessons/{id}/evaluation", field: "scores", auth: .admin,
                place: .json(#"{"scores": {"objectives": "@@", "process": 3, "technology": 3, "effect": 3}}"#)),
            NumericInput(
                route: "GET /api/v1/coverage", field: "window_days", auth: .admin,
                place: .query("/api/v1/coverage?profile=national-quality-balance&window_days=@@")),
            NumericInput(
                route: "GET /api/v1/coverage", field: "schools_offset", auth: .admin,
                place: .query("/api/v1/coverage?profile=national-quality-balance&basis=declared&schools_offset=@@")),
            NumericInput(
                route: "GET /api/v1/coverage", field: "schools_limit", auth: .admin,
                place: .query("/api/v1/coverage?profile=national-quality-balance&basis=declared&schools_limit=@@")),
        ]
        for column in [
            "primary_classes", "primary_students", "junior_classes", "junior_students", "high_classes", "high_students",
        ] {
            let header = TestRegistry.schools.split(separator: "\n")[0]
            let names = header.split(separator: ",").map(String.init)
            let row = "S1,龙树九年一贯制学校,鲁甸县,龙树镇,6,240,3,150,0,0".split(separator: ",").map(String.init)
            var changed = row
            changed[names.firstIndex(of: column)!] = "@@"
            let csv = TestRegistry.schools.replacingOccurrences(
                of: row.joined(separator: ","), with: changed.joined(separator: ","))
            list.append(
                NumericInput(
                    route: "PUT /api/v1/registry", field: "schools.csv.\(column)", auth: .admin,
                    place: .registry(file: "schools.csv", csv: csv)))
        }
        list.append(
            NumericInput(
                route: "PUT /api/v1/registry", field: "timetable.csv.weekday", auth: .admin,
                place: .registry(
                    file: "timetable.csv",
                    csv: TestRegistry.timetable.replacingOccurrences(of: "S1,R1,T1,1,", with: "S1,R1,T1,@@,"))))
        return list
    }()

    /// Integer and number fields of request bodies and query parameters named by the OpenAPI
    /// document, as `"METHOD PATH field"` (components referenced by a request body included).
    static func documentedNumericInputs(_ yaml: String) -> Set<String> {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func indent(_ l: String) -> Int { l.prefix(while: { $0 == " " }).count }
        func numericName(_ l: String) -> String? {
            let t = l.trimmingCharacters(in: .whitespaces)
            guard t.contains("type: integer") || t.contains("type: number") else { return nil }
            if t.hasPrefix("- {name: ") { return String(t.dropFirst(9).prefix(while: { $0 != "," })) }
            guard let colon = t.firstIndex(of: ":") else { return nil }
            return String(t[..<colon])
        }
        // Components: schema name → numeric fields at any depth.
        var components: [String: [String]] = [:]
        var current: String?
        var inSchemas = false
        for l in lines {
            if l.hasPrefix("  schemas:") {
                inSchemas = true
                continue
            }
            if inSchemas && indent(l) == 2 && !l.trimmingCharacters(in: .whitespaces).isEmpty { inSchemas = false }
            guard inSchemas else { continue }
            if indent(l) == 4, l.hasSuffix(":") { current = l.trimmingCharacters(in: .whitespaces).dropLast().description }
            if let current, let name = numericName(l) { components[current, default: []].append(name) }
        }
        var result: Set<String> = []
        var path = ""
        var method = ""
        var section = ""
        for l in lines {
            if l.hasPrefix("components:") { break }
            let t = l.trimmingCharacters(in: .whitespaces)
            if indent(l) == 2, t.hasPrefix("/"), t.hasSuffix(":") { path = String(t.dropLast()) }
            if indent(l) == 4, t.hasSuffix(":") { method = String(t.dropLast()).uppercased() }
            if indent(l) == 6, t.hasSuffix(":") { section = String(t.dropLast()) }
            let op = "\(method) \(path)"
            if section == "parameters", t.contains("in: query"), let name = numericName(l) { result.insert("\(op) \(name)") }
            if section == "requestBody" {
                if let name = numericName(l) { result.insert("\(op) \(name)") }
                if let r = t.range(of: "#/components/schemas/") {
                    let schema = t[r.upperBound...].prefix(while: { $0.isLetter || $0.isNumber })
                    for name in components[String(schema)] ?? [] { result.insert("\(op) \(name)") }
                }
            }
        }
        return result
    }

    /// Every operation of the document, as `(METHOD, PATH)`.
    static func operations(_ yaml: String) -> [(String, String)] {
        var ops: [(String, String)] = []
        var path = ""
        for l in yaml.split(separator: "\n").map(String.init) {
            if l.hasPrefix("components:") { break }
            let t = l.trimmingCharacters(in: .whitespaces)
            let indent = l.prefix(while: { $0 == " " }).count
            if indent == 2, t.hasPrefix("/"), t.hasSuffix(":") { path = String(t.dropLast()) }
            if indent == 4, ["get:", "post:", "put:", "delete:"].contains(t) {
                ops.append((String(t.dropLast()).uppercased(), path))
            }
        }
        return ops
    }
}
