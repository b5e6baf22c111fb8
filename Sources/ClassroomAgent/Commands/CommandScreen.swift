import ClassroomWire

/// Sorts a received command list into what the agent acts on and what it answers at once (pure).
public struct CommandScreen: Sendable {
    /// Ids per `POST /commands/ack` (the collector accepts at most 1000).
    public static let idsPerAcknowledgement = 1000

    /// Commands to persist and act on, in order.
    public var accepted: [AgentCommand] = []
    /// Items answered without acting: an unknown kind (`ignored`), a malformed item or a refused command
    /// (`failed`), each with its reason.
    public var answered: [(kind: String, result: CommandResult)] = []
    /// Items without an id (nothing to answer them with), described.
    public var unanswerable: [String] = []

    /// Screens `list` against ``CommandRules`` at agent time `now`.
    public static func screen(_ list: ReceivedCommandList, now: Int64) -> CommandScreen {
        var screen = CommandScreen()
        for item in list.items {
            switch item {
            case .command(let command):
                if let problem = CommandRules.problem(with: command, now: now) {
                    screen.answered.append(
                        (command.kind.rawValue, CommandResult(commandID: command.id, status: "failed", message: problem)))
                } else {
                    screen.accepted.append(command)
                }
            case .unusable(let id?, let kind, let status, let reason):
                screen.answered.append((kind, CommandResult(commandID: id, status: status, message: reason)))
            case .unusable(nil, let kind, _, let reason):
                screen.unanswerable.append("kind '\(kind)': \(reason)")
            }
        }
        return screen
    }
}
