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
                    try insert.run([.text(command.id), .text(command.kind.rawValue), .text(body), .integer(clock.nowMillis())])
                    if db.changes > 0 { fresh.append(command) }
                }
            }
        } catch {
            throw error.isFull ? .diskFull("\(path): \(error.message)") : .sqlite(error)
        }
        return fresh
    }

    /// Records commands that are answered without being acted on (an unknown kind, a malformed item, a
    /// refused order) as finished, each with its `command_result` event, in one transaction; returns the
    /// results newly recorded (a command seen before is not answered twice).
    @discardableResult
    public func recordAnswered(_ answers: [(kind: String, result: CommandResult)]) throws(OutboxError) -> [CommandResult] {
        // The actor is the only writer of the file, so what is new now is still new in the transaction.
        var seen = Set<String>()
        let fresh = answers.filter { commandState($0.result.commandID) == nil && seen.insert($0.result.commandID).inserted }
        guard !fresh.isEmpty else { return [] }
        let at = clock.nowMillis()
        _ = try appendNow(
            fresh.map { (.commandResult($0.result), at) },
            alongside: { () throws(SQLiteError) in
                let insert = try self.db.prepare(
                    "INSERT INTO commands(id, kind, body, received_at, state, result) VALUES(?, ?, '{}', ?, 'finished', ?)")
                for (kind, result) in fresh {
                    try insert.run([.text(result.commandID), .text(kind), .integer(at), .text(result.status)])
                }
            })
        return fresh.map(\.result)
    }

    /// Commands persisted but not started (after a restart they are resumed), oldest first.
    public func unfinishedCommands() -> [AgentCommand] {
        commands(inState: "received")
    }

    /// Commands marked started and never finished: the agent stopped (crashed) while acting on them.
    public func interruptedCommands() -> [AgentCommand] {
        commands(inState: "started")
    }

    private func commands(inState state: String) -> [AgentCommand] {
        guard let stmt = try? db.prepare("SELECT body FROM commands WHERE state = ? ORDER BY received_at, id"),
            (try? stmt.bind([.text(state)])) != nil
        else { return [] }
        var commands: [AgentCommand] = []
        let decoder = JSONDecoder()
        while (try? stmt.step()) == true {
            if let c = try? decoder.decode(AgentCommand.self, from: Data(stmt.text(0).utf8)) { commands.append(c) }
        }
        return commands
    }

    /// Marks a command started, durably, before the agent acts on it.
    ///
    /// - Important: a command still started at the next start-up was interrupted (the agent crashed while
    ///   acting on it, perhaps because of it): it is failed, never run again (``interruptedCommands()``).
    public func markCommandStarted(_ id: String) throws(OutboxError) {
        do {
            try db.prepare("UPDATE commands SET state = 'started', started_at = ? WHERE id = ? AND state = 'received'").run([
                .integer(clock.nowMillis()), .text(id),
            ])
        } catch {
            throw error.isFull ? .diskFull("\(path): \(error.message)") : .sqlite(error)
        }
    }

    /// Marks a command finished and queues its `command_result` event in the same transaction.
    public func finishCommand(_ result: CommandResult) throws(OutboxError) {
        _ = try appendNow(
            [(.commandResult(result), clock.nowMillis())],
            alongside: { () throws(SQLiteError) in
                try self.db.prepare("UPDATE commands SET state = 'finished', result = ? WHERE id = ?").run([
                    .text(result.status), .text(result.commandID),
                ])
            })
    }

    /// The state of a command by id (`received`, `started`, `finished`), nil when never received.
    public func commandState(_ id: String) -> String? {
        guard let stmt = try? db.prepare("SELECT state FROM commands WHERE id = ?"), (try? stmt.bind([.text(id)])) != nil,
            (try? stmt.step()) == true
        else { return nil }
        return stmt.text(0)
    }
}
