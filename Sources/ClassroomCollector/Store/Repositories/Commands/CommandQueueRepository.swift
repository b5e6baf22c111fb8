/// Commands queued for devices (operators' commands, spot-check orders) until the device acknowledges
/// them. ``CommandDispatcher`` queues through it and wakes the device's long-poll.
public protocol CommandQueueRepository: Sendable {
    /// Queues a command and its audit entry. A command id is queued once: a second command with the
    /// same id is refused with an error and changes nothing.
    func enqueueCommand(_ command: CommandRecord, audit: AuditEntry?) async throws
    /// Commands of the device not yet acknowledged, oldest first (then by id).
    func pendingCommands(deviceID: String) async throws -> [CommandRecord]
    /// Acknowledges the device's own commands among `ids`; returns how many were newly acknowledged.
    func acknowledgeCommands(deviceID: String, ids: [String], at: Int64) async throws -> Int
    /// Calls `handler` with the device of every command queued by any collector on this database,
    /// until cancelled. PostgreSQL: LISTEN/NOTIFY, so collectors behind one load balancer wake each
    /// other's long-polls. One process (SQLite, memory): returns at once; the in-process notifier suffices.
    func watchCommands(_ handler: @escaping @Sendable (String) -> Void) async throws
}
