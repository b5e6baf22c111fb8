import Hummingbird

/// Why a room cannot be patrolled now; the API answers 422 with ``code`` as `error` and ``message``,
/// the console shows the label `patrol_refused_<code>`.
public struct PatrolRefusal: Sendable, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No timetabled lesson in the room at this moment.
        case notInLesson = "not_in_lesson"
        /// A spot-check of the room is streaming or due within its lead time: the spot-check wins.
        case spotCheck = "spotcheck_active"
        /// No enrolled, unrevoked device in the room.
        case noDevice = "no_device"
        /// The room's device was not heard from within the online window.
        case deviceOffline = "device_offline"
        /// The device's newest inventory lists no camera (or none was reported yet).
        case noCamera = "no_camera"
        /// The device's newest inventory lists no microphone.
        case noMicrophone = "no_microphone"
    }

    public var code: Code
    /// In plain English, naming the room (and device or order).
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var apiError: APIError { APIError(.unprocessableContent, code.rawValue, message) }
}
