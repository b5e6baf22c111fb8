import ClassroomWire
import Logging

/// Performs a spot-check order or a chime (implemented by the spot-check runner, wired in by `classroomd`).
public protocol SpotCheckActions: Sendable {
    func start(_ order: SpotCheckOrderPayload, commandID: String) async -> CommandResult
    /// Ends the stream of `orderID` (any stream when nil); `ignored` when that order is not streaming.
    func stop(orderID: String?, commandID: String) async -> CommandResult
    func chime(commandID: String) async -> CommandResult
}

extension SpotCheckActions {
    /// Ends whatever streams (a `spotcheck_stop` without an order id).
    public func stop(commandID: String) async -> CommandResult { await stop(orderID: nil, commandID: commandID) }
}

/// The agent's command handling: inventory refresh here, streaming and chime through ``SpotCheckActions``.
public struct BuiltInCommands: CommandHandler {
    let outbox: Outbox
    let inventory: (any InventorySource)?
    let spotCheck: (any SpotCheckActions)?

    public init(outbox: Outbox, inventory: (any InventorySource)?, spotCheck: (any SpotCheckActions)?) {
        self.outbox = outbox
        self.inventory = inventory
        self.spotCheck = spotCheck
    }

    public func handle(_ command: AgentCommand) async -> CommandResult {
        switch command.kind {
        case .inventoryRefresh:
            guard let inventory else {
                return CommandResult(commandID: command.id, status: "failed", message: "no inventory source in this agent")
            }
            do {
                try await outbox.append(.inventorySnapshot(try await inventory.snapshot()))
                return CommandResult(commandID: command.id, status: "done")
            } catch {
                return CommandResult(commandID: command.id, status: "failed", message: "\(error)")
            }
        case .spotcheckStart:
            guard let order = command.spotcheck else {
                return CommandResult(
                    commandID: command.id, status: "failed", message: "spotcheck_start without a spotcheck payload")
            }
            guard let spotCheck else { return Self.unavailable(command) }
            return await spotCheck.start(order, commandID: command.id)
        case .spotcheckStop:
            guard let spotCheck else { return Self.unavailable(command) }
            return await spotCheck.stop(orderID: command.orderID, commandID: command.id)
        case .chime:
            guard let spotCheck else { return Self.unavailable(command) }
            return await spotCheck.chime(commandID: command.id)
        }
    }

    static func unavailable(_ command: AgentCommand) -> CommandResult {
        CommandResult(commandID: command.id, status: "failed", message: "\(command.kind.rawValue) is not available on this agent")
    }
}
