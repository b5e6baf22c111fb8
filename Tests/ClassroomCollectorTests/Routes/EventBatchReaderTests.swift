import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// The one-pass batch reader (``EventBatchReader``) gives exactly what `JSONDecoder` gives, or nil
/// (then `JSONDecoder` answers, with its errors): never a batch `JSONDecoder` refuses, never another value.
@Suite("Event batch reader")
struct EventBatchReaderTests {
    static let now: Int64 = 1_790_000_000_000

    static func read(_ text: String) -> EventBatchReader.Read? { read(Data(text.utf8)) }

    static func read(_ data: Data) -> EventBatchReader.Read? { data.withUnsafeBytes { EventBatchReader.read($0) } }

    static func decoded(_ text: String) -> EventBatch? { decoded(Data(text.utf8)) }

    static func decoded(_ data: Data) -> EventBatch? { try? JSONDecoder().decode(EventBatch.self, from: data) }

    /// The reader's answer for `text` agrees with `JSONDecoder`'s; true when the reader read it.
    @discardableResult
    static func agrees(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        agrees(Data(text.utf8), sourceLocation: sourceLocation)
    }

    @discardableResult
    static func agrees(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let read = read(data) else { return false }
        let text = String(decoding: data, as: UTF8.self)
        let reference = decoded(data)
        #expect(reference != nil, "read a batch JSONDecoder refuses: \(text)", sourceLocation: sourceLocation)
        #expect(read.batch == reference, "\(text)", sourceLocation: sourceLocation)
        guard let reference else { return true }
        // Each body stored says what was read: its bytes as sent, or its re-encoding.
        #expect(read.bodies.count == reference.events.count, sourceLocation: sourceLocation)
        for (body, event) in zip(read.bodies, reference.events) {
            let stored = try? JSONDecoder().decode(AgentEvent.self, from: Data(body.utf8))
            #expect(stored == event, "\(body)", sourceLocation: sourceLocation)
        }
        // Where the whole body is plain JSON, the same bytes the scan after JSONDecoder keeps (JSONDecoder
        // also takes trailing commas, which no event's stored bytes may hold: those are re-encoded).
        if data.withUnsafeBytes({ EventBytes.ranges(in: $0) }) != nil {
            let bodies = try? AgentAPI<CollectorRequestContext>.eventBodies(reference, in: data)
            #expect(read.bodies == bodies, "\(text)", sourceLocation: sourceLocation)
        }
        return true
    }

    /// A batch as the agent writes it (its `JSONEncoder`): heartbeats and usage minutes.
    static func agentBatch() throws -> String {
        let minute = UsageMinute(
            minuteStart: now - 60_000, displayOn: true, touchEvents: 12, speechSeconds: 31.25, meanDBFS: -42.5,
            peakDBFS: nil, clippingRatio: 0.001, devicesPresent: DevicesPresent(cameras: 1, microphones: 2, displays: 1))
        let events = [
            AgentEvent(
                seq: 1, at: now - 1,
                body: .heartbeat(Heartbeat(agentVersion: "0.1.0", uptimeSeconds: 7, queueDepth: 3, droppedUsageTotal: 0))),
            AgentEvent(seq: 2, at: now, body: .usageMinute(minute)),
            AgentEvent(
                seq: 3, at: now,
                body: .usageMinute(
                    UsageMinute(
                        minuteStart: -5, displayOn: false, touchEvents: 0, speechSeconds: 0, meanDBFS: 1e-5, peakDBFS: -0.0,
                        clippingRatio: 1, devicesPresent: DevicesPresent()))),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(EventBatch(sentAt: now, events: events)), as: UTF8.self)
    }

    static func heartbeat(
        _ seq: String, at: String = "1", kind: String = "\"heartbeat\"", version: String = "\"0.1.0\"",
        uptime: String = "1", queue: String = "0", dropped: String = "0", extra: String = ""
    ) -> String {
        """
        {"seq":\(seq),"at":\(at),"kind":\(kind),"heartbeat":{"agent_version":\(version),"uptime_seconds":\(uptime),\
        "queue_depth":\(queue),"dropped_usage_total":\(dropped)}\(extra)}
        """
    }

    static func minute(_ fields: [String: String]) -> String {
        var f = [
            "minute_start": "0", "display_on": "true", "touch_events": "1", "speech_seconds": "2.5", "mean_dbfs": "null",
            "clipping_ratio": "0",
            "devices_present": #"{"cameras":0,"microphones":1,"speakers":0,"touchscreens":1,"displays":1}"#,
        ]
        for (k, v) in fields { f[k] = v }
        let body = f.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",")
        return #"{"seq":1,"at":1,"kind":"usage_minute","usage_minute":{\#(body)}}"#
    }

    static func batch(_ events: [String], sentAt: String = "1") -> String {
        #"{"sent_at":\#(sentAt),"events":[\#(events.joined(separator: ","))]}"#
    }

    @Test("the agent's own batches are read in one pass, equal to JSONDecoder's, each event's bytes kept")
    func agentBatches() throws {
        let text = try Self.agentBatch()
        #expect(Self.agrees(text))
        #expect(Self.read(text)?.batch.events.count == 3)
        // Other spacing and key order: still read.
        let spaced = " {\n \"events\" : [ \(Self.heartbeat("1")) ,\n\t\(Self.heartbeat("2")) ] , \"sent_at\" : 5 }\r\n"
        #expect(Self.agrees(spaced))
        #expect(Self.agrees(Self.batch([])))
        #expect(Self.agrees(Self.batch([Self.minute(["peak_dbfs": "-3.25e1", "mean_dbfs": "-12"])])))
        #expect(Self.agrees(Self.batch([Self.heartbeat("9223372036854775807", at: "-9223372036854775808")])))
    }

    @Test("other kinds and shapes are decoded one by one by JSONDecoder, their bytes kept unless ambiguous")
    func otherKinds() throws {
        let result = #"{"seq":3,"at":1,"kind":"command_result","command_result":{"command_id":"c","status":"done"}}"#
        let escaped = Self.heartbeat("4", version: #""0.\u0031""#)
        let duplicateKey = Self.heartbeat("5", extra: #","seq":5"#)
        let extraField = Self.heartbeat("6", extra: #","note":[1,{"a":"]}"}]"#)
        let nul = Self.heartbeat("7", version: #""a\u0000""#)
        let text = Self.batch([Self.heartbeat("1"), result, escaped, duplicateKey, extraField, nul, Self.heartbeat("8")])
        #expect(Self.agrees(text))
        let bodies = try #require(Self.read(text)).bodies
        #expect(bodies[1] == result)
        #expect(bodies[2] == escaped)
        #expect(bodies[4] == extraField)
        // Ambiguous bytes are stored re-encoded.
        #expect(bodies[3] != duplicateKey)
        #expect(bodies[5] != nul)
    }

    @Test("malformed bodies, wrong types, huge numbers, unknown kinds: nil, so JSONDecoder's 400 answers")
    func refused() {
        let h = Self.heartbeat("1")
        let cases = [
            "", "{", "[]", "{}", "null", #"{"sent_at":1}"#, #"{"events":[]}"#, Self.batch([h]) + "x",
            Self.batch([h]) + "}", #"{"sent_at":1,"events":[\#(h)}"#,
            #"{"sent_at":1,"events":[\#(h)]"#, #"{"sent_at":1,,"events":[]}"#, #"{"sent_at":1 "events":[]}"#,
            Self.batch([], sentAt: "\"1\""), Self.batch([], sentAt: "1.5"), Self.batch([], sentAt: "01"),
            Self.batch([], sentAt: "9223372036854775808"), Self.batch([], sentAt: "-9223372036854775809"),
            Self.batch([], sentAt: "1e400"), Self.batch([], sentAt: "-"), Self.batch([], sentAt: "null"),
            Self.batch([Self.heartbeat("99999999999999999999")]), Self.batch([Self.heartbeat("\"1\"")]),
            Self.batch([Self.heartbeat("1", uptime: "1e400")]), Self.batch([Self.heartbeat("1", queue: "true")]),
            Self.batch([Self.heartbeat("1", version: "1")]), Self.batch([Self.heartbeat("1", version: "null")]),
            Self.batch([Self.heartbeat("1", kind: "\"meteor\"")]), Self.batch([Self.heartbeat("1", kind: "\"usage_minute\"")]),
            Self.batch([#"{"seq":1,"at":1,"kind":"heartbeat"}"#]), Self.batch(["1"]), Self.batch(["[]"]),
            Self.batch([Self.minute(["speech_seconds": "1e400"])]), Self.batch([Self.minute(["speech_seconds": "-1e999"])]),
            Self.batch([Self.minute(["speech_seconds": ".5"])]), Self.batch([Self.minute(["speech_seconds": "5."])]),
            Self.batch([Self.minute(["speech_seconds": "+5"])]), Self.batch([Self.minute(["speech_seconds": "0x10"])]),
            Self.batch([Self.minute(["speech_seconds": "NaN"])]), Self.batch([Self.minute(["speech_seconds": "null"])]),
            Self.batch([Self.minute(["display_on": "1"])]), Self.batch([Self.minute(["display_on": "tru"])]),
            Self.batch([Self.minute(["devices_present": #"{"cameras":0}"#])]),
            Self.batch([Self.minute(["devices_present": "[]"])]),
            Self.batch([Self.heartbeat("1", version: "\"a\u{01}\"")]),
            Self.batch([#"{"seq":1,"at":1,"kind":"heartbeat","heartbeat":{"agent_version":"x"}"#]),
        ]
        for text in cases {
            #expect(Self.read(text) == nil, "\(text)")
            #expect(Self.decoded(text) == nil, "JSONDecoder accepts \(text)")
        }
        // Read by JSONDecoder its own way (the first of two keys, trailing commas, an integer written with a
        // fraction, minus zero): left to it.
        let unusual = [
            #"{"sent_at":1,"events":[],"sent_at":2}"#, #"{"sent_at":1,"events":[],"events":[]}"#,
            #"{"sent_at":1,"events":[],"other":2}"#, #"{"sent_at":1,"events":[\#(h),]}"#, #"{"sent_at":1,"events":[],}"#,
            Self.batch([], sentAt: "2.0"), Self.batch([], sentAt: "-0"),
        ]
        for text in unusual { #expect(Self.read(text) == nil, "\(text)") }
    }

    @Test("numbers JSONDecoder reads its own way are left to it or read alike")
    func edgeNumbers() {
        // An integer written with a fraction: its event is left to JSONDecoder, which reads it.
        #expect(Self.agrees(Self.batch([Self.minute(["touch_events": "2.0"])])))
        for n in ["-0", "1e3", "1E+3", "10.0", "0.0", "1e-400", "4.9e-324", "2.2250738585072014e-308", "0.1", "1e308"] {
            Self.agrees(Self.batch([Self.minute(["speech_seconds": n, "clipping_ratio": n])]))
            Self.agrees(Self.batch([Self.heartbeat("1", uptime: n)]))
        }
    }

    @Test("bytes cut, doubled or changed anywhere: the reader never accepts what JSONDecoder refuses")
    func mutations() throws {
        let original = Array(try Self.agentBatch().utf8)
        var generator = SeededGenerator(seed: 18)
        var readCount = 0
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \tnulltruefalse\x"#.utf8) + [0x00, 0x7F, 0xC3, 0xFF]
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let at = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: at)
                default: bytes[at] = alphabet.randomElement(using: &generator)!
                }
            }
            if Self.agrees(Data(bytes)) { readCount += 1 }
        }
        // Many mutations only change a number or a space: those are read (and compared) too.
        #expect(readCount > 100)
    }

    @Test("through the route: a bad event anywhere in a batch is a 400 naming it, nothing stored", arguments: StoreKind.allCases)
    func route(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let now = String(Self.now)
                let good = (1...3).map { Self.heartbeat(String($0), at: now) }
                let cases: [([String], String)] = [
                    (good + [Self.heartbeat("4", at: now, kind: "\"meteor\"")], "'events[3].kind'"),
                    (
                        // JSONDecoder's own message for an integer beyond 64 bits.
                        good + [Self.heartbeat("4", at: now, uptime: "99999999999999999999")], "not valid JSON"
                    ),
                    (good + [Self.heartbeat("4", at: now, queue: "\"0\"")], "'events[3].heartbeat.queue_depth'"),
                    (good + [Self.heartbeat("4", at: now, uptime: "-1")], "'events[3].heartbeat.uptime_seconds'"),
                    (good + [Self.heartbeat("3", at: now)], "'events[3].seq'"),
                    (good + [Self.heartbeat("4", at: now, version: "\" \"")], "'events[3].heartbeat.agent_version'"),
                    (good + [Self.heartbeat("4", at: now, version: "\"a\\u0007\"")], "'events[3].heartbeat.agent_version'"),
                    (good + [Self.heartbeat("4", at: "1e400")], "not valid JSON"),
                ]
                for (events, mention) in cases {
                    let answer = try await client.call(
                        .post, AgentRoutes.events, token: device.credential, raw: Data(Self.batch(events, sentAt: now).utf8))
                    #expect(answer.status == .badRequest, "\(mention): \(answer.status) \(answer.text)")
                    #expect(answer.error?.message.contains(mention) == true, "\(mention): \(answer.text)")
                }
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).isEmpty)
                // The same batch without the bad event is stored whole, its bytes as sent.
                let answer = try await client.call(
                    .post, AgentRoutes.events, token: device.credential, raw: Data(Self.batch(good, sentAt: now).utf8))
                #expect(try answer.decode(EventAck.self).accepted == 3)
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).map(\.body) == good)
            }
        }
    }
}

@Suite("Text checks")
struct ValidateTextTests {
    @Test("the ASCII path answers as the general one: blank, too long, control characters")
    func asciiAgrees() {
        func outcome(_ f: () throws -> Void) -> String {
            do {
                try f()
                return "ok"
            } catch {
                return "\(error)"
            }
        }
        let values = [
            "0.1.0", "", " ", "\t", " \t ", "a b", " a", "abcde", "abcdef", "a\u{01}", "\u{7F}", "a\tb", "a\r\nb", "a\nb",
        ]
        var fast = 0
        for v in values {
            let general = outcome {
                guard !v.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw APIError.badRequest("field 'f' must not be empty")
                }
                guard v.count <= 5 else { throw APIError.badRequest("field 'f' is longer than 5 characters") }
                guard !v.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw APIError.badRequest("field 'f' contains control characters")
                }
            }
            #expect(outcome { try Validate.text(v, field: "f", max: 5) } == general, "\(v.debugDescription)")
            if (try? Validate.asciiText(v, field: "f", max: 5)) != false { fast += 1 }
        }
        // Every value but the one with "\r\n" takes the ASCII path.
        #expect(fast == values.count - 1)
    }
}
