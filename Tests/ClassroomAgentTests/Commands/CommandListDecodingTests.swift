import ClassroomWire
import Foundation
import Testing

@testable import ClassroomAgent

/// The command list is decoded item by item: an unknown kind or a malformed item never hides the commands after it.
@Suite struct CommandListDecodingTests {
    static let now: Int64 = 1_796_342_400_000

    static func decode(_ json: String) throws -> ReceivedCommandList {
        try JSONDecoder().decode(ReceivedCommandList.self, from: Data(json.utf8))
    }

    static func order(_ id: String = "2026-W49-01", start: Int64, end: Int64, url: String = "rtmp://media.example/live/k")
        -> String
    {
        """
        {"order_id": "\(id)", "ingest_url": "\(url)", "lesson_start": \(start), "lesson_end": \(end),
         "teacher_name": "王老师", "subject": "语文"}
        """
    }

    @Test func everyItemIsDecodedOnItsOwn() throws {
        let list = try Self.decode(
            """
            {"commands": [
              {"id": "c1", "kind": "self_destruct", "issued_at": 1796342400000},
              {"id": "c2", "kind": "spotcheck_start", "issued_at": 1796342400000, "spotcheck": {"order_id": 5}},
              {"kind": "chime", "issued_at": 1796342400000},
              {"id": "c4", "kind": "chime", "issued_at": 1e300},
              42,
              {"id": "c6", "kind": "spotcheck_start", "issued_at": 1796342400000,
               "spotcheck": \(Self.order(start: Self.now - 60_000, end: Self.now + 2_700_000))},
              {"id": "c7", "kind": "inventory_refresh", "issued_at": 1796342400000}
            ]}
            """)
        #expect(list.items.count == 7)
        guard case .unusable("c1", "self_destruct", "ignored", let r1) = list.items[0] else {
            Issue.record("\(list.items[0])")
            return
        }
        #expect(r1.contains("unknown command kind 'self_destruct'"))
        guard case .unusable("c2", "spotcheck_start", "failed", let r2) = list.items[1] else {
            Issue.record("\(list.items[1])")
            return
        }
        #expect(r2.hasPrefix("malformed command") && r2.contains("spotcheck"), "\(r2)")
        guard case .unusable(nil, "chime", "failed", _) = list.items[2] else {
            Issue.record("\(list.items[2])")
            return
        }
        guard case .unusable("c4", "chime", "failed", let r4) = list.items[3] else {
            Issue.record("\(list.items[3])")
            return
        }
        #expect(r4.hasPrefix("malformed command") && r4.contains("1e300"), "\(r4)")
        guard case .unusable(nil, "?", "failed", _) = list.items[4] else {
            Issue.record("\(list.items[4])")
            return
        }
        #expect(list.commands.map(\.id) == ["c6", "c7"], "the good commands after the bad ones survive")
    }

    @Test func aBrokenEnvelopeIsAnError() {
        #expect(throws: (any Error).self) { try Self.decode(#"{"commands": 5}"#) }
        #expect(throws: (any Error).self) { try Self.decode(#"[1, 2]"#) }
    }

    @Test func theScreenAnswersRefusedCommandsAndKeepsTheRest() throws {
        let start = Self.now - 60_000
        let list = try Self.decode(
            """
            {"commands": [
              {"id": "x1", "kind": "reboot", "issued_at": 1796342400000},
              {"id": "x2", "kind": "chime", "issued_at": \(Int64.min)},
              {"id": "x3", "kind": "chime", "issued_at": \(Self.now + 2 * 86_400_000)},
              {"id": "x4", "kind": "spotcheck_start", "issued_at": 1796342400000,
               "spotcheck": \(Self.order(start: Int64.min, end: Int64.max))},
              {"id": "x5", "kind": "spotcheck_start", "issued_at": 1796342400000,
               "spotcheck": \(Self.order(start: start, end: start + 5 * 3_600_000))},
              {"id": "x6", "kind": "spotcheck_start", "issued_at": 1796342400000,
               "spotcheck": \(Self.order(start: Self.now + 2 * 86_400_000 - 3_600_000, end: Self.now + 2 * 86_400_000))},
              {"id": "x7", "kind": "spotcheck_start", "issued_at": 1796342400000,
               "spotcheck": \(Self.order("../../etc/passwd", start: start, end: start + 3_600_000))},
              {"kind": "chime"},
              {"id": "ok", "kind": "spotcheck_start", "issued_at": 1796342400000,
               "spotcheck": \(Self.order(start: start, end: start + 3_600_000))}
            ]}
            """)
        let screen = CommandScreen.screen(list, now: Self.now)
        #expect(screen.accepted.map(\.id) == ["ok"])
        #expect(screen.unanswerable.count == 1)
        let results = Dictionary(uniqueKeysWithValues: screen.answered.map { ($0.result.commandID, $0.result) })
        #expect(results["x1"]?.status == "ignored")
        for id in ["x2", "x3", "x4", "x5", "x6", "x7"] { #expect(results[id]?.status == "failed", "\(id)") }
        #expect(results["x2"]?.message?.contains("before the year 2000") == true)
        #expect(results["x3"]?.message?.contains("more than a day after") == true)
        #expect(results["x4"]?.message?.contains("lesson_start") == true, "\(results["x4"]!)")
        #expect(results["x5"]?.message?.contains("at most 240 min") == true, "\(results["x5"]!)")
        #expect(results["x6"]?.message?.contains("more than a day after") == true, "\(results["x6"]!)")
        #expect(results["x7"]?.message?.contains("order_id") == true)
    }

    @Test(
        arguments: [
            (Int64.min, Int64.max), (Int64.max, Int64.min), (Int64.max - 1, Int64.max), (Int64.min, Int64.min + 1), (0, 1),
            (-1, 0), (Int64.max, Int64.max),
        ] as [(Int64, Int64)])
    func extremeWindowsAreRefusedInWords(start: Int64, end: Int64) {
        let order = SpotCheckOrderPayload(
            orderID: "o-1", ingestURL: "rtmp://h/live/k", lessonStart: start, lessonEnd: end, teacherName: "t", subject: "s")
        for now in [Self.now, Int64.max, Int64.min, 0] {
            let problem = SpotCheckOrderRules.problem(with: order, now: now)
            #expect(problem != nil, "now \(now)")
        }
    }

    @Test func theIngestHostPinRefusesOtherHosts() {
        func order(_ url: String) -> SpotCheckOrderPayload {
            SpotCheckOrderPayload(
                orderID: "o_1", ingestURL: url, lessonStart: Self.now - 1000, lessonEnd: Self.now + 60_000, teacherName: "t",
                subject: "s")
        }
        let pin = "media.county.example"
        #expect(
            SpotCheckOrderRules.problem(with: order("rtmp://media.county.example/live/k"), now: Self.now, ingestHost: pin) == nil)
        #expect(
            SpotCheckOrderRules.problem(with: order("rtmp://MEDIA.county.example:1935/live/k"), now: Self.now, ingestHost: pin)
                == nil)
        #expect(
            SpotCheckOrderRules.problem(with: order("rtmp://evil.example/live/k"), now: Self.now, ingestHost: pin)?.contains(
                "ingest_host") == true)
        #expect(
            SpotCheckOrderRules.problem(
                with: order("rtmp://media.county.example@evil.example/live/k"), now: Self.now, ingestHost: pin) != nil)
        #expect(SpotCheckOrderRules.problem(with: order("rtmp://evil.example/live/k"), now: Self.now) == nil, "no pin: any host")
        #expect(SpotCheckOrderRules.host(ofIngestURL: "rtmps://u:p@[::1]:443/a/k") == "::1")
        #expect(SpotCheckOrderRules.host(ofIngestURL: "http://h/a/k") == nil)
    }
}
