import ClassroomCore
import Testing

@Suite("Touch counter")
struct TouchCounterTests {
    typealias Code = TouchCounter.Code

    @Test("multi-touch: each new tracking id is a touch; lifting (−1) and positions are not")
    func multiTouch() {
        var counter = TouchCounter()
        counter.record(type: Code.eventAbsolute, code: Code.multiTouchTrackingID, value: 7)
        counter.record(type: Code.eventKey, code: Code.buttonTouch, value: 1)
        counter.record(type: Code.eventAbsolute, code: 0x35, value: 1200)
        counter.record(type: Code.eventAbsolute, code: Code.multiTouchTrackingID, value: 8)
        counter.record(type: Code.eventAbsolute, code: Code.multiTouchTrackingID, value: -1)
        counter.record(type: Code.eventKey, code: Code.buttonTouch, value: 0)
        #expect(counter.multiTouch)
        #expect(counter.takeCount() == 2)
        #expect(counter.takeCount() == 0)  // a new period starts at zero
    }

    @Test("single-touch: BTN_TOUCH presses count, releases and repeats (value 2) do not")
    func singleTouch() {
        var counter = TouchCounter()
        for value: Int32 in [1, 0, 1, 2, 0] { counter.record(type: Code.eventKey, code: Code.buttonTouch, value: value) }
        #expect(!counter.multiTouch)
        #expect(counter.takeCount() == 2)
    }

    @Test("a BTN_TOUCH seen before the first tracking id is not counted twice")
    func noDoubleCount() {
        var counter = TouchCounter()
        counter.record(type: Code.eventKey, code: Code.buttonTouch, value: 1)
        counter.record(type: Code.eventAbsolute, code: Code.multiTouchTrackingID, value: 1)
        #expect(counter.takeCount() == 1)
    }
}
