import ClassroomWire
import FoundationEssentials

extension Outbox {
    /// Persists commands not seen before and returns them (a command the poll repeats is ignored).
    public func persistCommands(_ commands: [AgentCommand]) throws(OutboxError) -> [AgentCommand] {
        let encoder = JSONEncoder()
        var fresh: [AgentCommand] = []
        do {
            try db.transaction { () throws(SQLiteError) in
                let insert = try db.prepare(
                    "INSERT OR IGNORE INTO commands(id, kind, body, received_at) VALUES(?, ?, ?, ?)")
                for command in commands {
                    let body = (try? encoder.encode(command)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
                    try insert.run([.text(command.id), .text(command.kind.rawValue), .text(body), .integer(clock())])
                    if db.changes > 0 { fresh.append(command) }
                }
            }
        } catch {
            throw error.isFull ? .diskFull("\(path): \(error.message)") : .sqlite(error)
        }
        return fresh
    }

    /// Commands persisted but not finished (after a restart they are resumed), oldest first.
    public func unfinishedCommands() -> [AgentCommand] {
        guard let stmt = try? db.prepare("SELECT body FROM commands WHERE state = 'received' ORDER BY received_at, id")
        else { return [] }
        var commands: [AgentCommand] = []
        let decoder = JSONDecoder()
        while (try? stmt.step()) == true {
            if let c = try? decoder.decode(AgentCommand.self, from: Data(stmt.text(0).utf8)) { commands.append(c) }
        }
        return commands
    }

    /// Marks a command finished and queues its `command_result` event in the same transaction.
    public func finishCommand(_ result: CommandResult) throws(OutboxError) {
        do {
            try db.prepare("UPDATE commands SET state = 'finished', result = ? WHERE id = ?").run([
                .text(result.status), .text(result.commandID),
            ])
        } catch {
            throw .sqlite(error)
        }
        _ = try appendNow([(.commandResult(result), clock())])
    }

    /// The state of a command by id, nil when never received.
    public func commandState(_ id: String) -> String? {
        guard let stmt = try? db.prepare("SELECT state FROM commands WHERE id = ?"), (try? stmt.bind([.text(id)])) != nil,
            (try? stmt.step()) == true
        else { return nil }
        return stmt.text(0)
    }
}
