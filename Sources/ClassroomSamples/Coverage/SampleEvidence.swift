import ClassroomCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Simulated agents' evidence for a synthetic county: the verified basis of demos and of the
/// province-scale benchmark, deterministic for a seed (like ``SampleCounty``).
///
/// Most rooms with declared equipment have an agent; some agents went silent weeks ago; some
/// declared devices are missing or broken; most recording rooms streamed in the window; the
/// equipment is used in most lessons.
public struct SampleEvidence: Sendable {
    public var seed: UInt64
    /// Share of equipped rooms with an agent, and of agents silent beyond the window.
    public var agentShare = 0.85
    public var silentShare = 0.08
    /// Share of declared devices the agent does not find.
    public var missingDeviceShare = 0.06
    /// Share of lessons in equipped rooms with activity.
    public var usedLessonShare = 0.8

    public init(seed: UInt64) { self.seed = seed }

    /// Evidence for the rooms of `registry` as of the end of `at` in `zone`, over `windowDays`.
    public func generate(for registry: Registry, at: LocalDate, zone: CountyTimeZone, windowDays: Int = 7) -> CoverageEvidence {
        agents(for: registry, at: at, zone: zone, windowDays: windowDays).evidence
    }

    /// The evidence of ``generate(for:at:zone:windowDays:)``, the inventory each room's agent reported
    /// (what the evidence holds of it is its ``HardwareSummary``) and the usage minutes it reported (the
    /// evidence holds the active ones' starts), for loading a store.
    public func agents(
        for registry: Registry, at: LocalDate, zone: CountyTimeZone, windowDays: Int = 7
    ) -> (evidence: CoverageEvidence, inventories: [String: HardwareInventory], usage: [String: [UsageMinute]]) {
        var inventories: [String: HardwareInventory] = [:]
        var usage: [String: [UsageMinute]] = [:]
        var rng = SeededGenerator(seed: seed)
        let end = zone.instant(of: at.adding(days: 1), at: TimeOfDay(minutes: 0))
        var lessonsByRoom: [String: [Lesson]] = [:]
        for lesson in registry.lessons { lessonsByRoom[lesson.roomID, default: []].append(lesson) }
        let days = (0..<max(1, windowDays)).map { at.adding(days: -$0) }
        var evidence = CoverageEvidence()
        evidence.rooms.reserveCapacity(registry.rooms.count)
        for room in registry.rooms {
            guard let declared = room.declared, !declared.isEmpty, Double.random(in: 0..<1, using: &rng) < agentShare else {
                continue
            }
            let silent = Double.random(in: 0..<1, using: &rng) < silentShare
            let seen = end.addingTimeInterval(
                silent
                    ? -Double(Int.random(in: 10...40, using: &rng)) * 86_400 : -Double(Int.random(in: 60...20_000, using: &rng)))
            // Sorted, so the draws do not depend on the set's per-process hash order.
            var found = Set(declared.sorted().filter { _ in Double.random(in: 0..<1, using: &rng) >= missingDeviceShare })
            if room.kind == .recording { found.formUnion([.camera, .microphone]) }
            let inventory = Self.inventory(found, room: room)
            var roomEvidence = RoomEvidence(inventory: inventory, inventoryAt: seen, lastSeen: seen)
            inventories[room.id] = inventory
            if room.kind == .recording, !silent, Int.random(in: 0..<10, using: &rng) < 7 {
                roomEvidence.lastSuccessfulStream = end.addingTimeInterval(-Double(Int.random(in: 1...6, using: &rng)) * 86_400)
            }
            evidence.rooms[room.id] = roomEvidence
            guard !silent, found.contains(.display), let lessons = lessonsByRoom[room.id] else { continue }
            var minutes: [UsageMinute] = []
            let present = DevicesPresent(inventory)
            for day in days {
                for lesson in lessons where lesson.weekday == day.weekday {
                    guard Double.random(in: 0..<1, using: &rng) < usedLessonShare else { continue }
                    let start = zone.instant(of: day, at: lesson.start).addingTimeInterval(
                        Double(Int.random(in: 1...20, using: &rng)) * 60)
                    minutes.append(
                        UsageMinute(
                            minuteStart: Int64(start.timeIntervalSince1970) * 1000, displayOn: true,
                            touchEvents: found.contains(.touch) ? Int.random(in: 1...40, using: &rng) : 0,
                            speechSeconds: found.contains(.microphone) ? Double(Int.random(in: 5...50, using: &rng)) : 0,
                            meanDBFS: nil, peakDBFS: nil, clippingRatio: 0, devicesPresent: present))
                }
            }
            if !minutes.isEmpty { usage[room.id] = minutes }
        }
        evidence.activeMinutes = CoverageEvidence(usage: usage).activeMinutes
        return (evidence, inventories, usage)
    }

    static func inventory(_ found: Set<DeclaredEquipment>, room: Room) -> HardwareInventory {
        var inv = HardwareInventory()
        if found.contains(.display) {
            inv.displays = [Display(connector: "HDMI-A-1", card: "card0", status: .connected, dpms: "On")]
        }
        if found.contains(.touch) {
            inv.touchscreens = [Touchscreen(id: "usb-touch-\(room.id)", name: "Touch panel", devnode: "/dev/input/event4")]
        }
        if found.contains(.speaker) {
            inv.speakers = [
                AudioEndpoint(
                    id: "pci-0000:00:1f.3-0", card: 0, device: 0, name: "HDMI", pcm: "hw:0,0", devnode: "/dev/snd/pcmC0D0p")
            ]
        }
        if found.contains(.microphone) {
            inv.microphones = [
                AudioEndpoint(id: "usb-mic-0", card: 1, device: 0, name: "USB Mic", pcm: "hw:1,0", devnode: "/dev/snd/pcmC1D0c")
            ]
        }
        if found.contains(.camera) {
            inv.cameras = [
                Camera(
                    id: "usb-cam-\(room.id)", name: "USB Camera", devnode: "/dev/video0", vendorID: "046d", modelID: "0825",
                    bus: "usb")
            ]
        }
        if found.contains(.network) { inv.network = [NetworkInterface(interface: "eth0", kind: .ethernet)] }
        return inv
    }
}
