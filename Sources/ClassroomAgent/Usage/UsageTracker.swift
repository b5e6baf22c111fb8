import ClassroomCore
import ClassroomWire
import FoundationEssentials
import Logging
import ServiceLifecycle

/// Turns the hardware signals into one ``UsageMinute`` per minute of the agent's clock (the outbox's ``AgentClock``), and the inventory into a
/// snapshot at start plus one event per hotplug change.
///
/// - Important: a minute that cannot be written (disk full) is kept in memory (at most a day) and
///   retried with the next one; nothing here stops the agent.
public struct UsageTracker: Service {
    let outbox: Outbox
    let hardware: AgentHardware
    let logger: Logger
    let minuteMillis: Int64

    public init(outbox: Outbox, hardware: AgentHardware, logger: Logger, minuteMillis: Int64 = 60_000) {
        self.outbox = outbox
        self.hardware = hardware
        self.logger = logger
        self.minuteMillis = minuteMillis
    }

    public func run() async throws {
        await cancelWhenGracefulShutdownOrReturn {
            try await withThrowingDiscardingTaskGroup { group in
                if let inventory = hardware.inventory { group.addTask { try await followInventory(inventory) } }
                if hardware.metersUsage {
                    group.addTask { try await meterMinutes() }
                } else {
                    logger.notice("no usage signals are wired into this agent: usage minutes are not produced")
                }
                group.addTask { try await gracefulShutdown() }
            }
        }
    }

    private func followInventory(_ source: any InventorySource) async throws {
        do {
            let snapshot = try await source.snapshot()
            try await outbox.append(.inventorySnapshot(snapshot))
        } catch {
            logger.error("cannot record the inventory snapshot", metadata: ["error": "\(error)"])
        }
        for await change in source.changes() {
            do {
                try await outbox.append(.inventoryChange(change))
            } catch {
                logger.error("cannot record an inventory change", metadata: ["error": "\(error)"])
            }
        }
        try await gracefulShutdown()
    }

    private func meterMinutes() async throws {
        var unwritten: [UsageMinute] = []
        var minuteStart = outbox.clock.nowMillis() / minuteMillis * minuteMillis
        // Reset the counters so the first minute only counts from now.
        _ = await hardware.touch?.takeTouchCount()
        _ = await hardware.speech?.takeSpeechSummary()
        while !Task.isCancelled {
            let next = minuteStart + minuteMillis
            try await outbox.clock.sleep(untilMillis: next)
            unwritten.append(await collect(minuteStart: minuteStart))
            minuteStart = next
            do {
                // One by one, each removed once durable: a failure midway never writes a minute twice.
                while let minute = unwritten.first {
                    do {
                        try await outbox.append(.usageMinute(minute), at: minute.minuteStart)
                    } catch OutboxError.encoding(let what) {
                        // A minute that cannot be encoded never will be: drop it rather than block every later one.
                        logger.error("dropping a usage minute that cannot be encoded", metadata: ["error": "\(what)"])
                    }
                    unwritten.removeFirst()
                }
            } catch {
                if unwritten.count > 1440 { unwritten.removeFirst(unwritten.count - 1440) }
                logger.error(
                    "cannot record usage minutes, keeping them in memory",
                    metadata: ["error": "\(error)", "kept": "\(unwritten.count)"])
            }
        }
    }

    /// One minute from the signals' counters.
    func collect(minuteStart: Int64) async -> UsageMinute {
        let display = await hardware.display?.displayIsOn() ?? false
        let touches = await hardware.touch?.takeTouchCount() ?? 0
        let speech = await hardware.speech?.takeSpeechSummary()
        let present = (try? await hardware.inventory?.snapshot()).map(DevicesPresent.init) ?? DevicesPresent()
        return UsageMinute(
            minuteStart: minuteStart, displayOn: display, touchEvents: touches, speechSeconds: speech?.speechSeconds ?? 0,
            meanDBFS: speech?.meanDBFS, peakDBFS: speech?.peakDBFS, clippingRatio: speech?.clippingRatio ?? 0,
            devicesPresent: present)
    }
}
