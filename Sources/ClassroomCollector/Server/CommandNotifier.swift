import Foundation
import Synchronization

/// Wakes long-polling agents the moment a command is queued for them, in this process.
///
/// - Important: a waiter registers before it re-reads the store, so a command queued in between
///   is never missed. ``shutdown()`` ends every wait and refuses new ones (graceful shutdown).
public final class CommandNotifier: Sendable {
    private struct State {
        var waiters: [String: [UInt64: AsyncStream<Void>.Continuation]] = [:]
        var nextID: UInt64 = 0
        var isShutDown = false
    }

    private let state = Mutex(State())

    public init() {}

    /// A registered wait for one device.
    public struct Wait: Sendable {
        let deviceID: String
        let id: UInt64
        let stream: AsyncStream<Void>
        let notifier: CommandNotifier

        /// Returns when woken, at the timeout, on shutdown or on cancellation.
        public func wait(timeout: Duration) async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var iterator = stream.makeAsyncIterator()
                    _ = await iterator.next()
                }
                group.addTask { try? await Task.sleep(for: timeout) }
                _ = await group.next()
                group.cancelAll()
            }
            notifier.remove(deviceID: deviceID, id: id)
        }

        /// Ends the wait without waiting (when the store already had commands).
        public func cancel() { notifier.remove(deviceID: deviceID, id: id) }
    }

    /// Registers a waiter for `deviceID`.
    public func register(deviceID: String) -> Wait {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id: UInt64 = state.withLock { s in
            s.nextID += 1
            if s.isShutDown {
                continuation.finish()
            } else {
                s.waiters[deviceID, default: [:]][s.nextID] = continuation
            }
            return s.nextID
        }
        return Wait(deviceID: deviceID, id: id, stream: stream, notifier: self)
    }

    /// Wakes every waiter of the device.
    public func notify(deviceID: String) {
        let continuations = state.withLock { $0.waiters[deviceID].map { Array($0.values) } ?? [] }
        for c in continuations { c.yield() }
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
        let c = state.withLock { s -> AsyncStream<Void>.Continuation? in
            let c = s.waiters[deviceID]?.removeValue(forKey: id)
            if s.waiters[deviceID]?.isEmpty == true { s.waiters[deviceID] = nil }
            return c
        }
        c?.finish()
    }
}
