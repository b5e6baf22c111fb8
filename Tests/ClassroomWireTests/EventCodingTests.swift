import ClassroomCore
import Foundation
import Testing

@testable import ClassroomWire

@Suite struct EventCodingTests {
    @Test func usageMinuteRoundTripsWithKindTag() throws {
        let minute = UsageMinute(
            minuteStart: 1_764_000_000_000, displayOn: true, touchEvents: 12, speechSeconds: 31.5,
            meanDBFS: -38.2, peakDBFS: -9.1, clippingRatio: 0, devicesPresent: DevicesPresent(microphones: 1, displays: 1))
        let event = AgentEvent(seq: 7, at: 1_764_000_060_000, body: .usageMinute(minute))
        let data = try JSONEncoder().encode(event)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == "usage_minute")
        #expect((object["usage_minute"] as? [String: Any])?["speech_seconds"] as? Double == 31.5)
        #expect(try JSONDecoder().decode(AgentEvent.self, from: data) == event)
    }

    @Test func unknownKindIsRejectedWithItsName() {
        let json = Data(#"{"seq":1,"at":0,"kind":"selfie"}"#.utf8)
        #expect {
            try JSONDecoder().decode(AgentEvent.self, from: json)
        } throws: { error in
            String(describing: error).contains("selfie")
        }
    }

    @Test func onlyUsageMinutesAreDroppable() {
        #expect(
            AgentEventBody.usageMinute(
                .init(
                    minuteStart: 0, displayOn: false, touchEvents: 0, speechSeconds: 0, meanDBFS: nil, peakDBFS: nil,
                    clippingRatio: 0, devicesPresent: .init())
            ).isDroppable)
        #expect(!AgentEventBody.inventorySnapshot(.empty).isDroppable)
        #expect(!AgentEventBody.evidence(.init(orderID: "o", payload: "", signature: "")).isDroppable)
    }

    @Test func inventoryEventsCarryTheWholeInventoryOthersNone() {
        var after = HardwareInventory.empty
        after.cameras = [Camera(id: "c0", name: "Cam", devnode: "/dev/video0", vendorID: "1", modelID: "2", bus: "usb")]
        #expect(AgentEventBody.inventorySnapshot(after).inventory == after)
        #expect(
            AgentEventBody.inventoryChange(.init(action: .add, deviceKind: "camera", deviceID: "c0", inventory: after)).inventory
                == after)
        #expect(
            AgentEventBody.heartbeat(.init(agentVersion: "1", uptimeSeconds: 1, queueDepth: 0, droppedUsageTotal: 0)).inventory
                == nil)
    }
}
