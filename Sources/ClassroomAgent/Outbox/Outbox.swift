import CSQLite
import ClassroomWire
import FoundationEssentials
import Glibc
import Logging

/// Why an outbox operation failed.
public enum OutboxError: Error, Sendable, CustomStringConvertible {
    /// The disk (or the page limit) is full; nothing was written, the caller keeps the event and retries.
    case diskFull(String)
    case sqlite(SQLiteError)
    case encoding(String)

    public var description: String {
        switch self {
        case .diskFull(let m): "outbox: disk full: \(m)"
        case .sqlite(let e): "outbox: \(e)"
        case .encoding(let m): "outbox: cannot encode or decode an event: \(m)"
        }
    }
}

/// The durable event queue of the agent (SQLite, WAL, `synchronous=FULL`).
///
/// Every event is committed here before anything else happens to it; the upload cursor advances only
/// on the collector's acknowledgement (acknowledged events are deleted). Appends that arrive while a
/// commit is pending share the next commit (group commit).
///
/// - Important: bounded by `maximumBytes` of queued event bodies. When full, usage minutes are dropped
///   oldest-first and a `usage_dropped` event reports how many; evidence, inventory, heartbeats and
///   command results are never dropped.
public actor Outbox {
    var db: SQLiteConnection
    let path: String
    let maximumBytes: Int64
    let logger: Logger
    /// The agent's clock: every event's `at`, and the clock the parts holding this outbox stamp with.
    public nonisolated let clock: AgentClock
    var queuedBytes: Int64 = 0
    var queuedCount: Int = 0
    /// The highest sequence number ``pending(limit:)`` has returned (possibly in flight to the collector).
    var handedOutThrough: Int64 = 0
    private var waiting: [(AgentEventBody, Int64, CheckedContinuation<Int64, any Error>)] = []
    private var flushScheduled = false
    /// Counts the fresh outboxes started while running (corruption): an acknowledgement of a batch read
    /// from an earlier file must not delete events of the fresh one.
    public private(set) var generation = 0
    /// Set when a corrupt file was moved aside at open: the name it was moved to.
    public private(set) var movedAsideFile: String?
    private let newEventsContinuation: AsyncStream<Void>.Continuation
    /// Yields after each commit that added events; one consumer (the uploader).
    public nonisolated let newEvents: AsyncStream<Void>

    /// Opens the outbox at `path`. A corrupt file is moved aside (reported in ``movedAsideFile``) and a
    /// fresh outbox is started whose sequence numbers begin above any the old one could have used.
    ///
    /// - Parameter clock: the agent's clock (the daemon's, or a test's own).
    public init(
        path: String, maximumBytes: Int64 = 64 << 20, logger: Logger,
        clock: AgentClock = .system, maximumPageCount: Int? = nil
    ) throws(OutboxError) {
        self.path = path
        self.maximumBytes = maximumBytes
        self.logger = logger
        self.clock = clock
        (newEvents, newEventsContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        do {
            db = try Outbox.openChecked(path: path, maximumPageCount: maximumPageCount)
        } catch let error where error.isCorruption {
            do {
                (db, movedAsideFile) = try Outbox.startFresh(
                    path: path, after: error, clock: clock, logger: logger, maximumPageCount: maximumPageCount)
            } catch {
                throw .sqlite(error)
            }
        } catch {
            throw error.isFull ? .diskFull("\(error)") : .sqlite(error)
        }
        Outbox.ensureReserve(path: path)
        do {
            let stmt = try db.prepare("SELECT count(*), total(length(body)), coalesce(max(seq), 0) FROM events")
            if try stmt.step() {
                queuedCount = Int(stmt.int(0))
                queuedBytes = stmt.int(1)
                // A process before this one (killed, or stopped mid-upload) may have sent any queued
                // event; the collector keeps the first copy, so none may change (`usage_dropped` merging).
                handedOutThrough = stmt.int(2)
            }
        } catch {
            throw .sqlite(error)
        }
    }

    /// Moves a corrupt outbox (and its WAL and shared-memory files) aside and opens a fresh one whose
    /// sequence numbers start above `clock()·1000`, marked ``rebaseMetaKey``: before its first upload the
    /// uploader learns the collector's highest stored sequence number for this device and renumbers the
    /// queue above it (``rebase(above:)``), so no new event repeats one the collector holds (a wrong
    /// clock — a dead RTC battery — would defeat the clock-based start alone).
    static func startFresh(
        path: String, after error: SQLiteError, clock: AgentClock, logger: Logger, maximumPageCount: Int?
    ) throws(SQLiteError) -> (SQLiteConnection, String) {
        let aside = "\(path).corrupt-\(clock.nowMillis())"
        logger.error(
            "outbox is corrupt, moving it aside and starting a fresh one",
            metadata: ["file": "\(path)", "moved_to": "\(aside)", "error": "\(error)"])
        for suffix in ["", "-wal", "-shm"] { rename(path + suffix, aside + suffix) }
        let db = try Outbox.openChecked(path: path, maximumPageCount: maximumPageCount)
        let (start, overflow) = clock.nowMillis().multipliedReportingOverflow(by: 1000)
        try db.execute("INSERT INTO sqlite_sequence(name, seq) VALUES('events', \(overflow || start < 0 ? 0 : start))")
        try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('moved_aside', ?)").run([.text(aside)])
        try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)").run([.text(rebaseMetaKey), .text(aside)])
        return (db, aside)
    }

    /// Corruption found while running (not at open): the same recovery, then the queue starts empty.
    ///
    /// - Returns: whether a fresh outbox is now open (false: the error was not corruption, or the
    ///   fresh one could not be opened either).
    func recoverIfCorrupt(_ error: SQLiteError) -> Bool {
        guard error.isCorruption else { return false }
        db.close()
        do {
            (db, movedAsideFile) = try Outbox.startFresh(
                path: path, after: error, clock: clock, logger: logger, maximumPageCount: nil)
        } catch {
            logger.critical("cannot start a fresh outbox", metadata: ["file": "\(path)", "error": "\(error)"])
            return false
        }
        queuedCount = 0
        queuedBytes = 0
        handedOutThrough = 0
        generation += 1
        return true
    }

    static func openChecked(path: String, maximumPageCount: Int?) throws(SQLiteError) -> SQLiteConnection {
        let db = try SQLiteConnection(path: path)
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute("PRAGMA synchronous = FULL")
        // Truncate the WAL after checkpoints so a burst does not keep its disk space forever.
        try db.execute("PRAGMA journal_size_limit = 4194304")
        if let maximumPageCount { try db.execute("PRAGMA max_page_count = \(maximumPageCount)") }
        let check = try db.prepare("PRAGMA quick_check(1)")
        if try check.step(), check.text(0) != "ok" {
            throw SQLiteError(code: SQLITE_CORRUPT, message: "quick_check: \(check.text(0))", sql: nil)
        }
        try db.migrate(Outbox.migrations)
        return db
    }

    /// Appends one event, durable when this returns; concurrent appends share one commit.
    ///
    /// - Returns: the event's sequence number.
    @discardableResult
    public func append(_ body: AgentEventBody, at: Int64? = nil) async throws -> Int64 {
        let at = at ?? clock.nowMillis()
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append((body, at, continuation))
            if !flushScheduled {
                flushScheduled = true
                Task { self.flush() }
            }
        }
    }

    private func flush() {
        let batch = waiting
        waiting = []
        flushScheduled = false
        do {
            let seqs = try appendNow(batch.map { ($0.0, $0.1) })
            for (item, seq) in zip(batch, seqs) { item.2.resume(returning: seq) }
        } catch {
            for item in batch { item.2.resume(throwing: error) }
        }
    }

    /// Appends `events` in one transaction, thinning usage minutes when over the bound; `alongside` runs
    /// in the same transaction (its changes commit with the events or not at all).
    func appendNow(
        _ events: [(AgentEventBody, Int64)], recovering: Bool = true, alongside: (() throws(SQLiteError) -> Void)? = nil
    ) throws(OutboxError) -> [Int64] {
        let encoder = JSONEncoder()
        var rows: [(AgentEventBody, Int64, String)] = []
        for (body, at) in events {
            guard let data = try? encoder.encode(AgentEvent(seq: 0, at: at, body: body)) else {
                throw .encoding("event of kind \(body.kind)")
            }
            rows.append((body, at, String(decoding: data, as: UTF8.self)))
        }
        var seqs: [Int64] = []
        let addedBytes = rows.reduce(Int64(0)) { $0 + Int64($1.2.utf8.count) }
        do {
            let (count, bytes) = try db.transaction { () throws(SQLiteError) -> (Int, Int64) in
                try alongside?()
                var count = queuedCount
                var bytes = queuedBytes
                if bytes + addedBytes > maximumBytes {
                    // Free an eighth of the bound at once, so thinning (and its report) is rare.
                    let (n, freed) = try dropUsage(toFree: max(bytes + addedBytes - maximumBytes, maximumBytes / 8))
                    count -= n
                    bytes -= freed
                }
                let insert = try db.prepare("INSERT INTO events(at, kind, droppable, body) VALUES(?, ?, ?, ?)")
                for (body, at, json) in rows {
                    try insert.run([.integer(at), .text(body.kind), .integer(body.isDroppable ? 1 : 0), .text(json)])
                    seqs.append(try db.scalar("SELECT last_insert_rowid()") ?? 0)
                }
                return (count + rows.count, bytes + addedBytes)
            }
            queuedCount = count
            queuedBytes = bytes
        } catch {
            if error.isFull { throw .diskFull("\(path): \(error.message)") }
            if recovering, recoverIfCorrupt(error) { return try appendNow(events, recovering: false, alongside: alongside) }
            throw .sqlite(error)
        }
        newEventsContinuation.yield()
        return seqs
    }

    /// Events not yet acknowledged, oldest first, at most `limit`.
    public func pending(limit: Int = EventBatch.maximumEvents) throws(OutboxError) -> [AgentEvent] {
        let decoder = JSONDecoder()
        do {
            let stmt = try db.prepare("SELECT seq, body FROM events ORDER BY seq LIMIT ?")
            try stmt.bind([.integer(Int64(limit))])
            var events: [AgentEvent] = []
            while try stmt.step() {
                guard var event = try? decoder.decode(AgentEvent.self, from: Data(stmt.text(1).utf8)) else {
                    throw OutboxError.encoding("stored event \(stmt.int(0)) does not decode")
                }
                event.seq = stmt.int(0)
                events.append(event)
            }
            handedOutThrough = max(handedOutThrough, events.last?.seq ?? 0)
            return events
        } catch let error as SQLiteError {
            if recoverIfCorrupt(error) { return [] }
            throw .sqlite(error)
        } catch {
            throw error as! OutboxError
        }
    }

    /// The collector has stored every event with `seq <= through`: delete them for good.
    ///
    /// - Important: on a full disk the deletion itself needs room in the WAL; the reserve file is then
    ///   released once so that acknowledging (which frees space) still works, and recreated later.
    ///
    /// - Parameter generation: the ``generation`` the batch was read in; when a fresh outbox has replaced
    ///   that file since, the acknowledgement is about events that are gone, and nothing is deleted.
    public func acknowledge(through: Int64, generation: Int? = nil) throws(OutboxError) {
        if let generation, generation != self.generation { return }
        do {
            try deleteAcknowledged(through: through)
        } catch let error where error.isFull && unlink(Outbox.reservePath(path)) == 0 {
            logger.warning("disk full: released the outbox reserve to record an acknowledgement", metadata: ["file": "\(path)"])
            do {
                try deleteAcknowledged(through: through)
            } catch {
                throw error.isFull ? .diskFull("\(path): \(error.message)") : .sqlite(error)
            }
        } catch {
            throw error.isFull ? .diskFull("\(path): \(error.message)") : .sqlite(error)
        }
        Outbox.ensureReserve(path: path)
    }

    private func deleteAcknowledged(through: Int64) throws(SQLiteError) {
        try db.transaction { () throws(SQLiteError) in
            let stmt = try db.prepare("SELECT count(*), total(length(body)) FROM events WHERE seq <= ?")
            try stmt.bind([.integer(through)])
            var removed = (0, Int64(0))
            if try stmt.step() { removed = (Int(stmt.int(0)), stmt.int(1)) }
            try db.prepare("DELETE FROM events WHERE seq <= ?").run([.integer(through)])
            try setMetaNow("acknowledged_through", "\(through)")
            queuedCount -= removed.0
            queuedBytes -= removed.1
        }
    }

    /// Queued events and their body bytes.
    public var depth: (count: Int, bytes: Int64) { (queuedCount, queuedBytes) }
}
