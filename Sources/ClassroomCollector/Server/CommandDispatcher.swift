import ClassroomWire
import Foundation

/// Queues commands for devices and wakes their long-polls: the one way in for operators' commands
/// and, later, spot-check orders.
public struct CommandDispatcher: Sendable {
    let queue: any CommandQueueRepository
    let notifier: CommandNotifier

    public init(queue: any CommandQueueRepository, notifier: CommandNotifier) {
        self.queue = queue
        self.notifier = notifier
    }

    /// Stores `command` for `deviceID` (with its audit entry) and wakes the device's waiting poll.
    public func enqueue(_ command: AgentCommand, for deviceID: String, audit: AuditEntry?) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = String(decoding: try encoder.encode(command), as: UTF8.self)
        try await queue.enqueueCommand(
            CommandRecord(
                id: command.id, deviceID: deviceID, kind: command.kind.rawValue, body: body, issuedAt: command.issuedAt),
            audit: audit)
        notifier.notify(deviceID: deviceID)
    }
}
