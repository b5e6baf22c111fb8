/// Delivers one notification on one channel; throws ``AlertSendError`` when it did not arrive.
public protocol AlertSender: Sendable {
    func send(_ notification: AlertNotification) async throws
}

/// Why a delivery failed, for the log and the notification's `last_error` (never the webhook key).
public struct AlertSendError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
