import ClassroomCore
import Testing

@Suite("Hotplug debouncer")
struct HotplugDebouncerTests {
    typealias Debouncer = HotplugDebouncer<String>

    static func ms(_ value: Int) -> Duration { .milliseconds(value) }

    @Test("an add settles once the device has been quiet for the window, not before")
    func addSettlesAfterWindow() {
        var debouncer = Debouncer(window: .seconds(1), present: [])
        debouncer.record(.add, for: "cam", at: Self.ms(100))
        #expect(debouncer.settle(at: Self.ms(1_099)).isEmpty)
        #expect(debouncer.nextDeadline == Self.ms(1_100))
        let settled = debouncer.settle(at: Self.ms(1_100))
        #expect(settled.map(\.action) == [.add])
        #expect(debouncer.isPresent("cam"))
        #expect(debouncer.nextDeadline == nil)
    }

    @Test("unplugged and replugged within a second is one flap, not remove + add")
    func flap() {
        var debouncer = Debouncer(window: .seconds(1), present: ["cam"])
        debouncer.record(.remove, for: "cam", at: Self.ms(0))
        debouncer.record(.add, for: "cam", at: Self.ms(600))
        #expect(debouncer.settle(at: Self.ms(1_200)).isEmpty)  // the add restarted the window
        let settled = debouncer.settle(at: Self.ms(1_600))
        #expect(settled == [.init(key: "cam", action: .flap, transitions: 2)])
        #expect(debouncer.isPresent("cam"))
    }

    @Test("unplugged for longer than the window is a remove, and the replug later an add")
    func slowReplug() {
        var debouncer = Debouncer(window: .seconds(1), present: ["cam"])
        debouncer.record(.remove, for: "cam", at: Self.ms(0))
        #expect(debouncer.settle(at: Self.ms(1_000)).map(\.action) == [.remove])
        #expect(!debouncer.isPresent("cam"))
        debouncer.record(.add, for: "cam", at: Self.ms(5_000))
        #expect(debouncer.settle(at: Self.ms(6_000)).map(\.action) == [.add])
    }

    @Test("repeated change events coalesce into one change; a change of an absent device is dropped")
    func changes() {
        var debouncer = Debouncer(window: .seconds(1), present: ["hdmi"])
        for step in 0..<5 { debouncer.record(.change, for: "hdmi", at: Self.ms(step * 100)) }
        debouncer.record(.change, for: "ghost", at: Self.ms(0))
        #expect(debouncer.settle(at: Self.ms(2_000)) == [.init(key: "hdmi", action: .change, transitions: 0)])
    }

    @Test("a flapping device counts every transition; a duplicate add is not a transition")
    func transitions() {
        var debouncer = Debouncer(window: .seconds(1), present: ["mic"])
        debouncer.record(.add, for: "mic", at: Self.ms(0))  // already present: no transition
        for step in 0..<3 {
            debouncer.record(.remove, for: "mic", at: Self.ms(100 + step * 200))
            debouncer.record(.add, for: "mic", at: Self.ms(200 + step * 200))
        }
        #expect(debouncer.settle(at: Self.ms(5_000)) == [.init(key: "mic", action: .flap, transitions: 6)])
    }

    @Test("devices settle independently and in key order")
    func independent() {
        var debouncer = Debouncer(window: .seconds(1), present: ["b"])
        debouncer.record(.remove, for: "b", at: Self.ms(0))
        debouncer.record(.add, for: "a", at: Self.ms(0))
        debouncer.record(.add, for: "c", at: Self.ms(900))
        #expect(debouncer.settle(at: Self.ms(1_000)).map(\.key) == ["a", "b"])
        #expect(debouncer.settle(at: Self.ms(1_900)).map(\.key) == ["c"])
    }
}
