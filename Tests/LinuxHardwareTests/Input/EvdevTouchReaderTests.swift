import ClassroomCore
import ClassroomTestSupport
import Foundation
import LinuxHardware
import Testing

/// `EvdevTouchReader` on a FIFO carrying real `struct input_event` bytes: parsing, and a device that
/// goes away mid-read (the writer closes: end of stream).
@Suite("EvdevTouchReader: input_event bytes and removal mid-read")
struct EvdevTouchReaderTests {
    static func event(_ type: UInt16, _ code: UInt16, _ value: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: MemoryLayout<timeval>.size)  // timestamp: not read
        withUnsafeBytes(of: type.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: code.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        return bytes
    }

    @Test("two touches are counted, then the vanished device is reported as removed, without an error")
    func removedMidRead() throws {
        let dir = try TestProcess.temporaryDirectory("evdev")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "event9").path
        #expect(mkfifo(path, 0o600) == 0)
        let reader = try EvdevTouchReader(devnodes: [path])
        let writer = open(path, O_WRONLY | O_NONBLOCK)
        #expect(writer >= 0)
        var bytes: [UInt8] = []
        for id: Int32 in [5, 6] {
            bytes += Self.event(TouchCounter.Code.eventAbsolute, TouchCounter.Code.multiTouchTrackingID, id)
            bytes += Self.event(TouchCounter.Code.eventAbsolute, 0x35, 4321)
            bytes += Self.event(0, 0, 0)
            bytes += Self.event(TouchCounter.Code.eventAbsolute, TouchCounter.Code.multiTouchTrackingID, -1)
        }
        #expect(bytes.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == bytes.count)
        close(writer)
        let clock = ContinuousClock()
        let counts = try reader.count(until: clock.now + .seconds(30), clock: clock)
        #expect(counts == [path: 2])
        #expect(reader.removed == [path])
    }

    @Test("a node that cannot be opened is a typed error naming it")
    func missingNode() {
        #expect {
            _ = try EvdevTouchReader(devnodes: ["/dev/input/event-missing"])
        } throws: { error in
            let error = error as? HardwareError
            return error?.kind == .noSuchDevice && error?.operation.contains("/dev/input/event-missing") == true
        }
    }
}
