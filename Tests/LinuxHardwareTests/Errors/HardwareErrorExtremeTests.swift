import LinuxHardware
import Testing

@Suite("HardwareError: extreme return values from C never trap")
struct HardwareErrorExtremeTests {
    @Test("the most negative return values become errors, not traps", arguments: [Int.min, Int.min + 1, Int(Int32.min) - 1])
    func mostNegative(value: Int) {
        #expect(throws: HardwareError.self) { try HardwareError.check("op") { value } }
        #expect(throws: HardwareError.self) { try HardwareError.check("op") { Int64(value) } }
    }
}
