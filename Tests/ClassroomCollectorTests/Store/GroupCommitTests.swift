import Foundation
import Synchronization
import Testing

@testable import ClassroomCollector

/// Uploads arriving while one is written share the next transaction, each with its own answer.
@Suite("Group commit")
struct GroupCommitTests {
    struct Refused: Error {}

    /// Waits (polling) until `condition` holds; false after 5 s.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test("callers arriving during a round share the next one; each gets its own result or error")
    func sharedRounds() async throws {
        let group = GroupCommit<Int, Int>()
        let batches = Mutex<[[Int]]>([])
        let write: GroupCommit<Int, Int>.Write = { items in
            // The first round lasts until the nine others wait.
            if items == [0] { _ = await Self.eventually { group.waiting == 9 } }
            batches.withLock { $0.append(items) }
            return items.map { $0 == 7 ? .failure(Refused()) : .success($0 * 10) }
        }
        let results = await withTaskGroup(of: (Int, Int?).self) { tasks in
            tasks.addTask { (0, try? await group.submit(0, write)) }
            _ = await Self.eventually { group.rounds == 1 }
            for i in 1..<10 { tasks.addTask { (i, try? await group.submit(i, write)) } }
            var all: [Int: Int?] = [:]
            for await (i, r) in tasks { all[i] = r }
            return all
        }
        #expect(group.rounds == 2)
        #expect(batches.withLock { $0.map { $0.sorted() } } == [[0], Array(1..<10)])
        for i in 0..<10 { #expect(results[i] == (i == 7 ? nil : i * 10), "\(i)") }
    }

    @Test("a leader returns after its own round: the lead passes to a waiting caller")
    func leadPasses() async throws {
        let group = GroupCommit<Int, Int>()
        let firstReturned = Mutex(false)
        let write: GroupCommit<Int, Int>.Write = { items in
            if items == [1] { _ = await Self.eventually { group.waiting == 1 } }
            // The second round waits for the first caller to have its answer: a leader that wrote
            // every round itself would still be here, and this round would give up.
            if items == [2] {
                let firstAnswered = await Self.eventually { firstReturned.withLock { $0 } }
                if !firstAnswered { return [.failure(Refused())] }
            }
            return items.map { .success($0) }
        }
        async let first: Int = {
            let r = try await group.submit(1, write)
            firstReturned.withLock { $0 = true }
            return r
        }()
        _ = await Self.eventually { group.rounds == 1 }
        async let second = group.submit(2, write)
        #expect(try await first == 1)
        #expect(try await second == 2)
        #expect(group.rounds == 2)
        #expect(group.waiting == 0)
    }

    @Test("a leader cancelled (its client gone) does not cancel the round it leads for the others")
    func leaderCancelled() async throws {
        let group = GroupCommit<Int, Int>()
        let leaderCancelled = Mutex(false)
        let write: GroupCommit<Int, Int>.Write = { items in
            if items == [0] { _ = await Self.eventually { group.waiting == 2 } }
            if items.contains(1) { _ = await Self.eventually { leaderCancelled.withLock { $0 } } }
            return items.map { Task.isCancelled ? .failure(CancellationError()) : .success($0) }
        }
        let first = Task { try await group.submit(0, write) }
        _ = await Self.eventually { group.rounds == 1 }
        let leader = Task { try await group.submit(1, write) }
        _ = await Self.eventually { group.waiting == 1 }
        let other = Task { try await group.submit(2, write) }
        // Round 2 is [1, 2], led by the caller of 1.
        #expect(await Self.eventually { group.rounds == 2 })
        leader.cancel()
        leaderCancelled.withLock { $0 = true }
        #expect(try await first.value == 0)
        #expect(try await other.value == 2)
        #expect(try await leader.value == 1)
    }

    @Test("a write that does not answer every item fails them all, never a wrong answer")
    func shortAnswer() async {
        let group = GroupCommit<Int, Int>()
        await #expect(throws: GroupCommitError.self) { try await group.submit(1) { _ in [] } }
        // The lead lapsed: the next caller leads again.
        let next = try? await group.submit(2) { items in items.map { .success($0) } }
        #expect(next == 2)
    }
}
