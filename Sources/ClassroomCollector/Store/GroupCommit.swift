import Synchronization

/// Uploads that arrive while another one is being written are written together, in one transaction
/// (group commit): SQLite has one writer, and each commit with `synchronous = FULL` waits for the
/// disk, so eight agents uploading at once paid eight syncs where one does (issue 18, ingest rate).
///
/// The first caller with nobody writing leads: it writes its own item with every item waiting at
/// that moment, in one call of `write`, then gives each its own result. Items arriving meanwhile wait;
/// when the round ends the leader hands the lead to the first of them and returns, so no caller
/// waits for more than the round in progress and its own.
///
/// A round runs in a task of its own, so a cancelled caller's item is still written (it is
/// idempotent: a re-sent event is a duplicate), and the others' are never cancelled with it.
///
/// - Important: `write` must give one result per item, in order, and answer only once the round is
///   durable: a caller is told its item is stored only when it is. One item's failure must not undo
///   the others (``CollectorSQLiteStore`` runs each in its own savepoint).
final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    typealias Write = @Sendable ([Item]) async -> [Result<Output, any Error>]

    private enum Signal: Sendable {
        case lead
        case done(Result<Output, any Error>)
    }

    private struct Waiter: Sendable {
        var item: Item
        var continuation: CheckedContinuation<Signal, Never>
    }

    private struct State: Sendable {
        var leading = false
        var waiting: [Waiter] = []
        var rounds = 0
    }

    private let state = Mutex(State())

    /// How many calls of `write` so far (tests).
    var rounds: Int { state.withLock { $0.rounds } }
    /// How many callers wait for the next round (tests).
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Writes `item` in the next round, alone or with others, and returns its own result.
    func submit(_ item: Item, _ write: @escaping Write) async throws -> Output {
        let signal = await withCheckedContinuation { (continuation: CheckedContinuation<Signal, Never>) in
            let lead = state.withLock { s in
                if s.leading {
                    s.waiting.append(Waiter(item: item, continuation: continuation))
                    return false
                }
                s.leading = true
                return true
            }
            if lead { continuation.resume(returning: .lead) }
        }
        switch signal {
        case .done(let result): return try result.get()
        case .lead: return try await lead(item, write).get()
        }
    }

    /// One round: this caller's item and everyone waiting; then the lead passes on (or lapses).
    private func lead(_ item: Item, _ write: @escaping Write) async -> Result<Output, any Error> {
        let others = state.withLock { s in
            s.rounds += 1
            defer { s.waiting = [] }
            return s.waiting
        }
        // The round is everyone's: the leader's cancellation (its client gone) must not cancel it, as
        // GRDB would (it interrupts the statement), failing the others' uploads. Hence its own task.
        let items = [item] + others.map(\.item)
        var results = await Task { await write(items) }.value
        if results.count != others.count + 1 {
            results = Array(repeating: .failure(GroupCommitError()), count: others.count + 1)
        }
        for (waiter, result) in zip(others, results.dropFirst()) { waiter.continuation.resume(returning: .done(result)) }
        let next = state.withLock { s -> Waiter? in
            if s.waiting.isEmpty {
                s.leading = false
                return nil
            }
            return s.waiting.removeFirst()
        }
        next?.continuation.resume(returning: .lead)
        return results[0]
    }
}

/// A write that did not give one result per item (a defect of its caller).
struct GroupCommitError: Error, CustomStringConvertible {
    var description: String { "group commit: the write did not answer every item" }
}
