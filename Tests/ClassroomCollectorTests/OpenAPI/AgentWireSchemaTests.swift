import ClassroomWire
import CollectorAPI
import Foundation
import Testing

/// The document's agent section (`/api/v1/agent/*`) against the hand-written, Foundation-free
/// `ClassroomWire` types the agent and the collector actually use (docs/openapi.md).
///
/// For representative values with every optional member set: ClassroomWire's JSON must decode into the
/// type generated from the schema (required members present, types right, no member the schema refuses),
/// carry no member the schema does not name, and the schema's reading must decode back as ClassroomWire.
@Suite("OpenAPI: the agent section matches ClassroomWire")
struct AgentWireSchemaTests {
    /// The mismatches between a ClassroomWire value and schema `G` (empty when they agree).
    static func mismatches<W: Codable, G: Codable>(_ wire: W, _ schema: G.Type) -> [String] {
        let name = "\(W.self) vs \(G.self)"
        do {
            let data = try JSONEncoder().encode(wire)
            let generated: G
            do { generated = try JSONDecoder().decode(G.self, from: data) } catch {
                return ["\(name): ClassroomWire's JSON does not decode as the schema: \(error)"]
            }
            let back = try JSONEncoder().encode(generated)
            var problems: [String] = []
            let wireKeys = try keys(data)
            let schemaKeys = try keys(back)
            if wireKeys != schemaKeys {
                problems.append(
                    "\(name): members only in ClassroomWire \(wireKeys.subtracting(schemaKeys).sorted()), "
                        + "only in the schema \(schemaKeys.subtracting(wireKeys).sorted())")
            }
            do { _ = try JSONDecoder().decode(W.self, from: back) } catch {
                problems.append("\(name): the schema's reading does not decode as ClassroomWire: \(error)")
            }
            return problems
        } catch {
            return ["\(name): \(error)"]
        }
    }

    static func keys(_ data: Data) throws -> Set<String> {
        Set((try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]).keys)
    }

    static let order = SpotCheckOrderPayload(
        orderID: "2026-W48-01", ingestURL: "rtmp://media/live/key", lessonStart: 1_764_000_000_000,
        lessonEnd: 1_764_002_700_000, teacherName: "李老师", subject: "数学", purpose: .patrol)

    @Test("enrollment, commands, acknowledgements and event batches")
    func agentSchemas() {
        var problems: [String] = []
        problems += Self.mismatches(
            EnrollRequest(token: "cfe_x", roomID: "R1", publicKey: "AAAA", hostname: "pc", agentVersion: "0.1.0"),
            Components.Schemas.EnrollRequest.self)
        problems += Self.mismatches(
            EnrollResponse(deviceID: "d1", credential: "cfd_x", schoolID: "S1", roomID: "R1", serverTime: 1_764_000_000_000),
            Components.Schemas.EnrollResponse.self)
        let start = AgentCommand(id: "c1", kind: .spotcheckStart, issuedAt: 1, spotcheck: Self.order, orderID: nil)
        let stop = AgentCommand(id: "c2", kind: .spotcheckStop, issuedAt: 2, orderID: "2026-W48-01")
        for command in [start, stop, AgentCommand(id: "c3", kind: .chime, issuedAt: 3)] {
            problems += Self.mismatches(command, Components.Schemas.AgentCommand.self)
        }
        problems += Self.mismatches(CommandList(commands: [start, stop]), Components.Schemas.CommandList.self)
        problems += Self.mismatches(
            CommandAckRequest(ids: ["c1"]), Operations.PostApiV1AgentCommandsAck.Input.Body.JsonPayload.self)
        problems += Self.mismatches(
            EventAck(acknowledgedThrough: 9, accepted: 3, duplicates: 1, clockSkewMillis: -20, serverTime: 5),
            Components.Schemas.EventAck.self)
        let events: [AgentEvent] = [
            AgentEvent(
                seq: 1, at: 10,
                body: .heartbeat(Heartbeat(agentVersion: "0.1.0", uptimeSeconds: 60, queueDepth: 0, droppedUsageTotal: 0))),
            AgentEvent(seq: 2, at: 11, body: .usageDropped(DroppedUsage(count: 2, oldest: 1, newest: 2))),
            AgentEvent(seq: 3, at: 12, body: .evidence(SignedEvidence(orderID: "o", payload: "e30", signature: "c2ln"))),
            AgentEvent(seq: 4, at: 13, body: .commandResult(CommandResult(commandID: "c1", status: "done", message: "ok"))),
        ]
        problems += Self.mismatches(EventBatch(sentAt: 20, events: events), Components.Schemas.EventBatch.self)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the comparison reports a member the schema lacks and a type it refuses (so it can fail)")
    func comparisonCanFail() {
        struct Extra: Codable { var id = "c1", kind = "chime", issued_at = 1, surprise = true }
        struct WrongType: Codable { var id = "c1", kind = "chime", issued_at = "soon" }
        let extra = Self.mismatches(Extra(), Components.Schemas.AgentCommand.self)
        #expect(extra.count == 2 && extra[0].contains("only in ClassroomWire [\"surprise\"]"), "\(extra)")
        #expect(Self.mismatches(WrongType(), Components.Schemas.AgentCommand.self).first?.contains("does not decode") == true)
        struct Strict: Codable { var token = "t", room_id = "R1", public_key = "k", hostname = "h", agent_version = "1", x = 1 }
        // EnrollRequest refuses unknown members (additionalProperties: false).
        #expect(Self.mismatches(Strict(), Components.Schemas.EnrollRequest.self).first?.contains("does not decode") == true)
    }
}
