/// Counts touches from a touchscreen's evdev event stream — never coordinates.
///
/// A touch is one finger or pen going down: a new `ABS_MT_TRACKING_ID` (≠ −1) on multi-touch devices,
/// else a `BTN_TOUCH` press. Position events are looked at only to be skipped; nothing of them is kept.
public struct TouchCounter: Sendable, Hashable {
    /// evdev event types and codes used (from linux/input-event-codes.h).
    public enum Code {
        public static let eventKey: UInt16 = 0x01
        public static let eventAbsolute: UInt16 = 0x03
        public static let buttonTouch: UInt16 = 0x14a
        public static let multiTouchTrackingID: UInt16 = 0x39
    }

    /// Touches counted so far.
    public private(set) var touches = 0
    /// Whether the device speaks the multi-touch protocol (then BTN_TOUCH is not counted separately).
    public private(set) var multiTouch = false
    private var buttonTouches = 0

    public init() {}

    /// Feeds one evdev event.
    public mutating func record(type: UInt16, code: UInt16, value: Int32) {
        switch (type, code) {
        case (Code.eventAbsolute, Code.multiTouchTrackingID):
            if !multiTouch {
                multiTouch = true
                touches = 0  // count contacts only from here on; button presses duplicated them
            }
            if value != -1 { touches += 1 }
        case (Code.eventKey, Code.buttonTouch):
            if value == 1 && !multiTouch { touches += 1 }
        default:
            break
        }
    }

    /// Returns the touches counted since the last call and starts a new period (e.g. a minute).
    public mutating func takeCount() -> Int {
        defer { touches = 0 }
        return touches
    }
}
