import Foundation
import Synchronization

/// Wakes long-polling agents the moment a command is queued for them, in this process.
///
/// - Important: a waiter registers before it re-reads the store, so a command queued in between
///   is never missed. ``shutdown()`` ends every wait and refuses new ones (graceful shutdown).
public final class CommandNotifier: Sendable {
    private struct State {
        var waiters: [String: [UInt64: AsyncStream<Wake>.Continuation]] = [:]
        var nextID: UInt64 = 0
        var isShutDown = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Why a wait ended before its timeout.
    public enum Wake: Sendable, Hashable {
        /// A command was queued for the device.
        case command
        /// A newer wait of the same device took this one's place (see ``register(deviceID:limit:)``).
        case displaced
    }

    /// A registered wait for one device.
    public struct Wait: Sendable {
        let deviceID: String
        let id: UInt64
        let stream: AsyncStream<Wake>
        let notifier: CommandNotifier

        /// Returns when woken (with why), or nil at the timeout, on shutdown or on cancellation.
        @discardableResult
        public func wait(timeout: Duration) async -> Wake? {
            let wake = await withTaskGroup(of: Wake?.self) { group in
                group.addTask {
                    var iterator = stream.makeAsyncIterator()
                    return await iterator.next()
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            notifier.remove(deviceID: deviceID, id: id)
            return wake
        }

        /// Ends the wait without waiting (when the store already had commands).
        public func cancel() { notifier.remove(deviceID: deviceID, id: id) }
    }

    /// Registers a waiter for `deviceID`. When the device already has `limit` waiters, the oldest
    /// are woken with ``Wake/displaced`` first, so one credential never holds more than `limit`.
    public func register(deviceID: String, limit: Int = .max) -> Wait {
        let (stream, continuation) = AsyncStream<Wake>.makeStream(bufferingPolicy: .bufferingNewest(1))
        var displaced: [AsyncStream<Wake>.Continuation] = []
        let id: UInt64 = state.withLock { s in
            s.nextID += 1
            if s.isShutDown {
                continuation.finish()
            } else {
                var mine = s.waiters[deviceID] ?? [:]
                // Ids grow with time: the smallest are the oldest waits.
                for old in mine.keys.sorted().prefix(max(0, mine.count - max(limit, 1) + 1)) {
                    if let c = mine.removeValue(forKey: old) { displaced.append(c) }
                }
                mine[s.nextID] = continuation
                s.waiters[deviceID] = mine
            }
            return s.nextID
        }
        for c in displaced {
            c.yield(.displaced)
            c.finish()
        }
        return Wait(deviceID: deviceID, id: id, stream: stream, notifier: self)
    }

    /// Wakes every waiter of the device.
    public func notify(deviceID: String) {
        let continuations = state.withLock { $0.waiters[deviceID].map { Array($0.values) } ?? [] }
        for c in continuations { c.yield(.command) }
    }

    /// Ends all waits and refuses new ones.
    public func shutdown() {
        let all = state.withLock { s in
            s.isShutDown = true
            defer { s.waiters = [:] }
            return s.waiters.values.flatMap(\.values)
        }
        for c in all { c.finish() }
    }

    /// Number of agents waiting now (for metrics).
    public var waiting: Int { state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } } }

    fileprivate func remove(deviceID: String, id: UInt64) {
        let c = state.withLock { s -> AsyncStream<Wake>.Continuation? in
            let c = s.waiters[deviceID]?.removeValue(forKey: id)
            if s.waiters[deviceID]?.isEmpty == true { s.waiters[deviceID] = nil }
            return c
        }
        c?.finish()
    }
}
