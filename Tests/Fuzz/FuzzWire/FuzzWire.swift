import ClassroomCore
import ClassroomWire
import FoundationEssentials
import FuzzDriver

/// What the agent and the collector decode from the network: each wire type from the same bytes, and
/// every value that decodes must survive encode → decode unchanged.
@main enum FuzzWire {
    static func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ data: Data) {
        guard let value = try? JSONDecoder().decode(type, from: data) else { return }
        guard let encoded = try? JSONEncoder().encode(value) else { preconditionFailure("\(T.self) decodes but does not encode") }
        let again = try? JSONDecoder().decode(type, from: encoded)
        precondition(again == value, "\(T.self) does not survive a round trip")
    }

    static func main() {
        FuzzDriver.main { bytes in
            let data = Data(bytes)
            roundTrip(EventBatch.self, data)
            roundTrip(EventAck.self, data)
            roundTrip(CommandList.self, data)
            roundTrip(AgentCommand.self, data)
            roundTrip(CommandAckRequest.self, data)
            roundTrip(EnrollRequest.self, data)
            roundTrip(EnrollResponse.self, data)
            roundTrip(APIErrorBody.self, data)
            roundTrip(SpotCheckEvidencePayload.self, data)
        }
    }
}
