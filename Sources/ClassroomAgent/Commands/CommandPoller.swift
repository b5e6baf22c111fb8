import ClassroomWire
import FoundationEssentials
import Logging
import ServiceLifecycle

/// Acts on one command the collector sent; returns what became of it.
public protocol CommandHandler: Sendable {
    /// Performs `command`. Called at most once per command id to completion (commands are persisted
    /// first and resumed after a restart, so a handler must tolerate being called again after a crash).
    func handle(_ command: AgentCommand) async -> CommandResult
}

/// The command long-poll: persist, acknowledge, then act — idempotent by command id.
public struct CommandPoller: Service {
    let outbox: Outbox
    let api: CollectorAPI
    let handler: any CommandHandler
    let logger: Logger
    let waitSeconds: Int
    let backoffCap: Double

    public init(
        outbox: Outbox, api: CollectorAPI, handler: any CommandHandler, logger: Logger, waitSeconds: Int, backoffCap: Double
    ) {
        self.outbox = outbox
        self.api = api
        self.handler = handler
        self.logger = logger
        self.waitSeconds = waitSeconds
        self.backoffCap = backoffCap
    }

    public func run() async throws {
        await cancelWhenGracefulShutdownOrReturn { try await loop() }
    }

    private func loop() async throws {
        for command in await outbox.unfinishedCommands() {
            logger.info("resuming a command received before the restart", metadata: ["command": "\(command.id)"])
            await act(on: command)
        }
        var rng = SystemRandomNumberGenerator()
        var backoff = Backoff(base: 1, cap: backoffCap)
        while !Task.isCancelled {
            let answer: CollectorAnswer<CommandList>
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
                backoff.reset()
                guard !list.commands.isEmpty else { continue }
                let fresh: [AgentCommand]
                do {
                    fresh = try await outbox.persistCommands(list.commands)
                } catch {
                    // Not persisted: do not acknowledge; the collector repeats it on the next poll.
                    logger.error("cannot persist commands", metadata: ["error": "\(error)"])
                    try await sleep(seconds: backoff.next(using: &rng))
                    continue
                }
                // Acknowledge every listed id, also ones seen before (their earlier ack may have been lost).
                _ = try? await api.acknowledgeCommands(list.commands.map(\.id))
                for command in fresh { await act(on: command) }
            case .busy(let retryAfter):
                try await sleep(seconds: retryAfter ?? backoff.next(using: &rng))
            case .failed(_, let message):
                let delay = backoff.next(using: &rng)
                logger.warning("command poll refused", metadata: ["error": "\(message)", "retry_in_s": "\(delay)"])
                try await sleep(seconds: delay)
            }
        }
    }

    private func act(on command: AgentCommand) async {
        await outbox.setMeta("current_command", "\(command.id) \(command.kind.rawValue)")
        logger.info("acting on command", metadata: ["command": "\(command.id)", "kind": "\(command.kind.rawValue)"])
        let result = await handler.handle(command)
        do {
            try await outbox.finishCommand(result)
        } catch {
            // Stays unfinished in the outbox and is resumed (idempotently) after the next restart.
            logger.error("cannot record a command result", metadata: ["command": "\(command.id)", "error": "\(error)"])
        }
        await outbox.setMeta("current_command", "")
    }
}
