import ClassroomWire
import Foundation
import Testing

/// The patrol (巡课) fields are optional on the wire: what older collectors send still decodes, and
/// what a newer collector sends still decodes in an older shape.
@Suite struct PatrolWireTests {
    static let oldStart = """
        {"id": "c1", "kind": "spotcheck_start", "issued_at": 1796342400000,
         "spotcheck": {"order_id": "2026-W49-01", "ingest_url": "rtmp://media.example/live/k", "lesson_start": 1,
                       "lesson_end": 2, "teacher_name": "王老师", "subject": "语文"}}
        """

    @Test func anOrderWithoutPurposeIsASpotCheck() throws {
        let command = try JSONDecoder().decode(AgentCommand.self, from: Data(Self.oldStart.utf8))
        let order = try #require(command.spotcheck)
        #expect(order.purpose == nil && !order.isPatrol)
        #expect(command.orderID == nil)
        let encoded = String(decoding: try JSONEncoder().encode(command), as: UTF8.self)
        #expect(!encoded.contains("purpose") && !encoded.contains("\"order_id\":null"), "absent fields stay absent: \(encoded)")
    }

    @Test func aPatrolOrderRoundTrips() throws {
        let order = SpotCheckOrderPayload(
            orderID: "patrol-1", ingestURL: "rtmp://m/patrol/k", lessonStart: 1, lessonEnd: 2, teacherName: "李老师",
            subject: "数学", purpose: .patrol)
        let data = try JSONEncoder().encode(AgentCommand(id: "c", kind: .spotcheckStart, issuedAt: 3, spotcheck: order))
        #expect(String(decoding: data, as: UTF8.self).contains("\"purpose\":\"patrol\""))
        let back = try JSONDecoder().decode(AgentCommand.self, from: data)
        #expect(back.spotcheck == order && back.spotcheck?.isPatrol == true)
    }

    @Test func anUnknownPurposeStillDecodesAndIsNoPatrol() throws {
        let json = Self.oldStart.replacingOccurrences(
            of: "\"subject\": \"语文\"", with: "\"subject\": \"语文\", \"purpose\": \"drill\"")
        let order = try #require(try JSONDecoder().decode(AgentCommand.self, from: Data(json.utf8)).spotcheck)
        #expect(order.purpose?.rawValue == "drill" && !order.isPatrol)
    }

    @Test func aStopNamesItsOrder() throws {
        let stop = AgentCommand(id: "c9", kind: .spotcheckStop, issuedAt: 5, orderID: "patrol-1")
        let data = try JSONEncoder().encode(stop)
        #expect(String(decoding: data, as: UTF8.self).contains("\"order_id\":\"patrol-1\""))
        #expect(try JSONDecoder().decode(AgentCommand.self, from: data).orderID == "patrol-1")
        let old = try JSONDecoder().decode(
            AgentCommand.self, from: Data(#"{"id": "c8", "kind": "spotcheck_stop", "issued_at": 5}"#.utf8))
        #expect(old.orderID == nil && old.kind == .spotcheckStop)
    }

    @Test func evidenceWithoutStopReasonDecodes() throws {
        let old = #"""
            {"order_id": "o", "started_at": 1, "ended_at": 2, "frames": 3, "bytes_sent": 4, "speech_ratio": 0.5,
             "camera": null, "microphone": "hw:1,0"}
            """#
        let payload = try JSONDecoder().decode(SpotCheckEvidencePayload.self, from: Data(old.utf8))
        #expect(payload.stopReason == nil && payload.frames == 3)
        var stopped = payload
        stopped.stopReason = "preempted by spot-check order 2026-W49-01"
        let again = try JSONDecoder().decode(SpotCheckEvidencePayload.self, from: try JSONEncoder().encode(stopped))
        #expect(again.stopReason == "preempted by spot-check order 2026-W49-01")
    }
}
