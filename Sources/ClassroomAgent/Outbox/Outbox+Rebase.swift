import CSQLite
import FoundationEssentials

extension Outbox {
    /// Meta key set on a fresh outbox that replaced a corrupt one, until its queue is renumbered above
    /// the collector's highest stored sequence number (``rebase(above:)``).
    static let rebaseMetaKey = "rebase_needed"

    /// Whether the queue must be renumbered before anything is uploaded (a corrupt outbox was replaced).
    public var needsRebase: Bool { (try? metaNow(Self.rebaseMetaKey)) != nil }

    /// Renumbers the queue so that its first event is `highest + 1` (order and gaps kept), makes later
    /// appends continue above it, and clears the mark — one transaction.
    ///
    /// - Parameter highest: the collector's highest stored sequence number for this device (the
    ///   `acknowledged_through` of an empty batch). A value outside 0…2⁶² is refused: it comes from the network.
    /// - Returns: how many queued events were renumbered (0 when they already lie above `highest`).
    @discardableResult
    public func rebase(above highest: Int64) throws(OutboxError) -> Int {
        guard highest >= 0, highest <= 1 << 62 else {
            throw .encoding("the collector's highest sequence number \(highest) is outside 0…2^62; not renumbering")
        }
        do {
            return try db.transaction { () throws(SQLiteError) -> Int in
                let (low, high, count) = try { () throws(SQLiteError) -> (Int64?, Int64?, Int64) in
                    let range = try db.prepare("SELECT min(seq), max(seq), count(*) FROM events")
                    guard try range.step() else { return (nil, nil, 0) }
                    return (range.optionalInt(0), range.optionalInt(1), range.int(2))
                }()
                var renumbered = 0
                var top = highest
                if let low, let high, low <= highest {
                    // Both shifts stay within Int64: low ≥ 1, high ≤ the sequence of this file, highest ≤ 2⁶².
                    let shift = highest + 1 - low
                    let (newHigh, overflow) = high.addingReportingOverflow(shift)
                    guard !overflow else {
                        throw SQLiteError(
                            code: SQLITE_ERROR, message: "renumbering would overflow (max seq \(high) + \(shift))", sql: nil)
                    }
                    // Through negative numbers, so no row ever takes a number another still holds.
                    try db.execute("UPDATE events SET seq = -seq")
                    try db.prepare("UPDATE events SET seq = -seq + ?").run([.integer(shift)])
                    renumbered = Int(count)
                    top = newHigh
                }
                try db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'events'").run([.integer(top)])
                if db.changes == 0 {
                    try db.prepare("INSERT INTO sqlite_sequence(name, seq) VALUES('events', ?)").run([.integer(top)])
                }
                try db.prepare("DELETE FROM meta WHERE key = ?").run([.text(Self.rebaseMetaKey)])
                handedOutThrough = 0
                return renumbered
            }
        } catch {
            throw error.isFull ? .diskFull("\(path): \(error.message)") : .sqlite(error)
        }
    }
}
