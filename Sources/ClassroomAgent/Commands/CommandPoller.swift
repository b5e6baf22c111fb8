import ClassroomWire
import FoundationEssentials
import Logging
import ServiceLifecycle

/// Acts on one command the collector sent; returns what became of it.
public protocol CommandHandler: Sendable {
    /// Performs `command`. Called at most once per command id: the command is marked started (durably)
    /// first, and one found started after a restart is failed, never handed to the handler again.
    func handle(_ command: AgentCommand) async -> CommandResult
}

/// The command long-poll: persist, acknowledge, then act — idempotent by command id.
///
/// - Important: nothing in a command list can stop the loop. Items are decoded one by one; an unknown
///   kind is answered `ignored`, a malformed item or a refused one (``CommandRules``) `failed`, each with
///   a reason, and the commands after it still run. A command interrupted by a crash is failed at the
///   next start instead of being run again (no crash loop on a poisonous command).
public struct CommandPoller: Service {
    let outbox: Outbox
    let api: CollectorAPI
    let handler: any CommandHandler
    let logger: Logger
    let waitSeconds: Int
    let backoffCap: Double
    let clock: AgentClock

    public init(
        outbox: Outbox, api: CollectorAPI, handler: any CommandHandler, logger: Logger, waitSeconds: Int, backoffCap: Double,
        clock: AgentClock? = nil
    ) {
        self.outbox = outbox
        self.api = api
        self.handler = handler
        self.logger = logger
        self.waitSeconds = waitSeconds
        self.backoffCap = backoffCap
        self.clock = clock ?? outbox.clock
    }

    public func run() async throws {
        await cancelWhenGracefulShutdownOrReturn { try await loop() }
    }

    private func loop() async throws {
        await failInterruptedCommands()
        for command in await outbox.unfinishedCommands() {
            logger.info("resuming a command received before the restart", metadata: ["command": "\(command.id)"])
            await act(on: command)
        }
        var rng = SystemRandomNumberGenerator()
        var backoff = Backoff(base: 1, cap: backoffCap)
        while !Task.isCancelled {
            let answer: CollectorAnswer<ReceivedCommandList>
            do {
                answer = try await api.commands(wait: waitSeconds)
            } catch let error as CurlError where error.isCancelled {
                return
            } catch {
                let delay = backoff.next(using: &rng)
                logger.warning("command poll failed", metadata: ["error": "\(error)", "retry_in_s": "\(delay)"])
                try await sleep(seconds: delay)
                continue
            }
            switch answer {
            case .ok(let list):
                guard !list.items.isEmpty else {
                    backoff.reset()
                    continue
                }
                guard let fresh = await take(list) else {
                    try await sleep(seconds: backoff.next(using: &rng))
                    continue
                }
                for command in fresh { await act(on: command) }
            case .busy(let retryAfter):
                let delay = max(retryAfter ?? 0, backoff.next(using: &rng))
                logger.notice("collector is busy, polling later", metadata: ["retry_in_s": "\(delay)"])
                try await sleep(seconds: delay)
            case .failed(_, let message):
                let delay = backoff.next(using: &rng)
                logger.warning("command poll refused", metadata: ["error": "\(message)", "retry_in_s": "\(delay)"])
                try await sleep(seconds: delay)
            }
        }
    }

    /// Persists and answers the items of `list`, acknowledges them, and returns the new commands to act
    /// on; nil when the caller must back off first (nothing persisted, or nothing that can be answered).
    private func take(_ list: ReceivedCommandList) async -> [AgentCommand]? {
        let screened = CommandScreen.screen(list, now: clock.nowMillis())
        for item in screened.unanswerable {
            logger.error("the collector sent a command without an id; it cannot be answered", metadata: ["problem": "\(item)"])
        }
        let fresh: [AgentCommand]
        do {
            fresh = try await outbox.persistCommands(screened.accepted)
        } catch {
            // Not persisted: do not acknowledge; the collector repeats it on the next poll.
            logger.error("cannot persist commands", metadata: ["error": "\(error)"])
            return nil
        }
        var answeredIDs = screened.answered.map(\.result.commandID)
        do {
            for result in try await outbox.recordAnswered(screened.answered) {
                logger.warning(
                    "answered a command without acting on it",
                    metadata: [
                        "command": "\(result.commandID)", "status": "\(result.status)", "reason": "\(result.message ?? "")",
                    ])
            }
        } catch {
            // Their answers are not recorded: leave them unacknowledged, so the next poll answers them again.
            logger.error("cannot record answers to refused commands", metadata: ["error": "\(error)"])
            answeredIDs = []
        }
        // Acknowledge every answerable id, also ones seen before (their earlier ack may have been lost).
        let ids = screened.accepted.map(\.id) + answeredIDs
        for start in stride(from: 0, to: ids.count, by: CommandScreen.idsPerAcknowledgement) {
            let chunk = Array(ids[start..<min(start + CommandScreen.idsPerAcknowledgement, ids.count)])
            do {
                _ = try await api.acknowledgeCommands(chunk)
            } catch {
                logger.warning("cannot acknowledge commands; the collector will repeat them", metadata: ["error": "\(error)"])
            }
        }
        // A list of nothing but unanswerable items comes back at once: do not spin on it.
        return ids.isEmpty && fresh.isEmpty ? nil : fresh
    }

    /// Commands marked started but never finished: the agent crashed while acting on them. They are
    /// failed with a reason instead of being run again.
    private func failInterruptedCommands() async {
        for command in await outbox.interruptedCommands() {
            logger.error(
                "a command was interrupted by a crash or a stop; failing it instead of running it again",
                metadata: ["command": "\(command.id)", "kind": "\(command.kind.rawValue)"])
            let result = CommandResult(
                commandID: command.id, status: "failed",
                message: "interrupted: the agent stopped while acting on this command; not run again")
            do {
                try await outbox.finishCommand(result)
            } catch {
                logger.error("cannot record a command result", metadata: ["command": "\(command.id)", "error": "\(error)"])
            }
        }
    }

    private func act(on command: AgentCommand) async {
        do {
            try await outbox.markCommandStarted(command.id)
        } catch {
            // Not durably started: acting now could crash-loop on a poisonous command. It stays received
            // and is resumed after the next restart.
            logger.error(
                "cannot mark a command started; not acting on it now",
                metadata: ["command": "\(command.id)", "error": "\(error)"])
            return
        }
        await outbox.setMeta("current_command", "\(command.id) \(command.kind.rawValue)")
        logger.info("acting on command", metadata: ["command": "\(command.id)", "kind": "\(command.kind.rawValue)"])
        let result = await handler.handle(command)
        do {
            try await outbox.finishCommand(result)
        } catch {
            // Stays started in the outbox and is failed (not run again) after the next restart.
            logger.error("cannot record a command result", metadata: ["command": "\(command.id)", "error": "\(error)"])
        }
        await outbox.setMeta("current_command", "")
    }
}
