import ClassroomCore
import ClassroomWire
import Foundation
import HummingbirdTesting
import Testing

@testable import ClassroomCollector

/// The collector stores each uploaded event's JSON as the agent sent it (issue 18), except where
/// JSON readers could disagree on what the bytes say.
@Suite("Event bytes stored as sent")
struct EventBytesTests {
    static let now: Int64 = 1_790_000_000_000

    /// A heartbeat as an agent of another make might write it: its own key order and spacing.
    static func heartbeat(_ seq: Int64, spacing: String = " ", version: String = "0.1.0") -> String {
        let s = spacing
        return """
            {\(s)"kind":\(s)"heartbeat",\(s)"heartbeat":{"queue_depth":0,\(s)"uptime_seconds":\(seq),\
            "dropped_usage_total":\(s)0,"agent_version":\(s)"\(version)"},\(s)"at":\(now - 5),\(s)"seq":\(seq)\(s)}
            """
    }

    static func batch(_ events: [String], separator: String = ",\n  ") -> Data {
        Data("{ \"events\" : [\n  \(events.joined(separator: separator))\n ],\n \"sent_at\": \(now) }".utf8)
    }

    @Test("each event's body is stored byte for byte as sent: key order, spacing, escapes", arguments: StoreKind.allCases)
    func storedAsSent(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let sent = [
                    Self.heartbeat(1),
                    Self.heartbeat(2, spacing: "\t\n  "),
                    // Escapes, a non-ASCII text, brackets and quotes inside strings, a field the collector ignores.
                    #"{"seq":3,"at":\#(Self.now - 1),"kind":"command_result","command_result":{"command_id":"c-1","#
                        + #""status":"failed","message":"ffmpeg: \"[x]\" {ok} \u00e9t\u00e9 \/ 教室 \\ \n"},"note":[1,{"a":[]}]}"#,
                ]
                let answer = try await client.call(
                    .post, AgentRoutes.events, token: device.credential, raw: Self.batch(sent))
                #expect(answer.status == .ok)
                #expect(try answer.decode(EventAck.self).accepted == 3)
                let stored = try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10)
                #expect(stored.map(\.body) == sent)
                #expect(stored.map(\.kind) == ["heartbeat", "heartbeat", "command_result"])
                #expect(try await store.device(id: device.deviceID)?.agentVersion == "0.1.0")
            }
        }
    }

    @Test(
        "a batch mixing new and already stored seqs: counts, acknowledgement, the first bytes kept",
        arguments: StoreKind.allCases)
    func mixedDuplicates(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let first = try await client.call(
                    .post, AgentRoutes.events, token: device.credential,
                    raw: Self.batch([2, 3, 5].map { Self.heartbeat($0) }))
                #expect(try first.decode(EventAck.self).accepted == 3)
                // Re-sent with other spacing, between new ones.
                let again = try await client.call(
                    .post, AgentRoutes.events, token: device.credential,
                    raw: Self.batch([1, 2, 3, 4, 5, 6].map { Self.heartbeat($0, spacing: "  ") }))
                #expect(again.status == .ok)
                let ack = try again.decode(EventAck.self)
                #expect(ack.accepted == 3)
                #expect(ack.duplicates == 3)
                #expect(ack.acknowledgedThrough == 6)
                let stored = try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10)
                #expect(stored.map(\.seq) == [1, 2, 3, 4, 5, 6])
                #expect(
                    stored.map(\.body)
                        == [1, 2, 3, 4, 5, 6].map { Self.heartbeat($0, spacing: [2, 3, 5].contains($0) ? " " : "  ") })
                // Only duplicates, all of them older: acknowledged through the highest stored.
                let old = try await client.call(
                    .post, AgentRoutes.events, token: device.credential, raw: Self.batch([Self.heartbeat(4)]))
                let oldAck = try old.decode(EventAck.self)
                #expect(oldAck.accepted == 0)
                #expect(oldAck.duplicates == 1)
                #expect(oldAck.acknowledgedThrough == 6)
            }
        }
    }

    @Test(
        "an event with a key twice or a \\u0000 escape is stored re-encoded, as the checks read it",
        arguments: StoreKind.allCases)
    func ambiguousReencoded(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let twice = Self.heartbeat(2).replacingOccurrences(
                    of: #""queue_depth":0,"#, with: #""queue_depth":0, "queue_depth":-5,"#)
                let nul =
                    #"{"seq":3,"at":\#(Self.now),"kind":"command_result","command_result":"#
                    + #"{"command_id":"c","status":"done","message":"a\u0000b"}}"#
                let answer = try await client.call(
                    .post, AgentRoutes.events, token: device.credential,
                    raw: Self.batch([Self.heartbeat(1), twice, nul, Self.heartbeat(4)]))
                #expect(answer.status == .ok)
                let stored = try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                func canonical(_ text: String) throws -> String {
                    String(
                        decoding: try encoder.encode(try JSONDecoder().decode(AgentEvent.self, from: Data(text.utf8))),
                        as: UTF8.self)
                }
                #expect(stored.map(\.body) == [Self.heartbeat(1), try canonical(twice), try canonical(nul), Self.heartbeat(4)])
                #expect(stored[1].body.contains(#""queue_depth":0"#))
                #expect(!stored[1].body.contains("-5"))
            }
        }
    }

    @Test("bad batches are still refused whole, naming the event, with the bytes path in place")
    func badBatchRefused() async throws {
        try await withStore(.sqlite) { store in
            let h = try await CollectorHarness.make(store)
            try await h.application().test(.router) { client in
                let device = try await client.enroll(room: "R1", school: "S1", admin: h.adminToken)
                let bad = try await client.call(
                    .post, AgentRoutes.events, token: device.credential,
                    raw: Self.batch([Self.heartbeat(1), Self.heartbeat(2, version: "1.0\\u0007")]))
                #expect(bad.status == .badRequest)
                #expect(bad.error?.message == "field 'events[1].heartbeat.agent_version' contains control characters")
                let broken = try await client.call(
                    .post, AgentRoutes.events, token: device.credential,
                    raw: Self.batch([Self.heartbeat(1), String(Self.heartbeat(2).dropLast())]))
                #expect(broken.status == .badRequest)
                #expect(broken.error?.message.contains("not valid JSON") == true)
                #expect(try await store.events(deviceID: device.deviceID, afterSeq: 0, limit: 10).isEmpty)
            }
        }
    }

    // MARK: The scanner alone

    static func ranges(_ text: String) -> [String?]? {
        let data = Data(text.utf8)
        return data.withUnsafeBytes { bytes in
            EventBytes.ranges(in: bytes)?.map { range in
                range.map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
            }
        }
    }

    @Test("finds each element of the top-level events array, whatever the nesting and strings hold")
    func scannerBoundaries() {
        #expect(Self.ranges(#"{"events":[]}"#) == [])
        #expect(
            Self.ranges(#" { "sent_at" : 1 , "events" : [ {"a":1} ,{"b":[1,{"c":"]}"}]} ] } "#) == [
                #"{"a":1}"#, #"{"b":[1,{"c":"]}"}]}"#,
            ])
        #expect(Self.ranges(#"{"x":{"events":[{"no":1}]},"events":[{"s":"\"],["}]}"#) == [#"{"s":"\"],["}"#])
        // The key written with an escape is the same key.
        #expect(Self.ranges(#"{"\u0065vents":[{"a":true}]}"#) == [#"{"a":true}"#])
        #expect(Self.ranges(#"{"events":[{"a":-1.5e3,"b":null,"c":false}]}"#) == [#"{"a":-1.5e3,"b":null,"c":false}"#])
    }

    @Test("marks events with a repeated key (also written differently, also in big objects) or a \\u0000 escape")
    func scannerAmbiguous() {
        #expect(Self.ranges(#"{"events":[{"a":1,"a":2},{"a":1,"b":{"a":2}}]}"#) == [nil, #"{"a":1,"b":{"a":2}}"#])
        #expect(Self.ranges(#"{"events":[{"a":1,"\u0061":2},{"k":{"x":1,"x":1}}]}"#) == [nil, nil])
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(Self.ranges("{\"events\":[{\(many)},{\(many),\"k39\":0}]}") == ["{\(many)}", nil])
        #expect(
            Self.ranges(#"{"events":[{"m":"a\u0000"},{"m":"a\u00001"},{"m":"\\u0000"}]}"#) == [nil, nil, #"{"m":"\\u0000"}"#])
    }

    @Test("not the expected shape: no answer, so the route re-encodes every event")
    func scannerShape() {
        for text in [
            #"{"sent_at":1}"#, #"{"events":[],"events":[]}"#, #"{"events":[{"a":1}]} x"#, #"{"events":[{"a":1}"#,
            #"[{"events":[]}]"#, #"{"events":{"a":1}}"#, "", #"{"events":[{"a":"unterminated}]}"#, #"{"events":[,]}"#,
        ] {
            #expect(Self.ranges(text) == nil, "\(text)")
        }
    }
}
