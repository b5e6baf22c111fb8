import ClassroomWire
import FoundationEssentials

extension Outbox {
    /// Deletes the oldest usage minutes until `toFree` bytes are freed (or none are left) and queues a
    /// `usage_dropped` event with the count and span. Runs inside the caller's transaction.
    ///
    /// - Returns: rows removed and bytes freed (net of the report event).
    func dropUsage(toFree: Int64) throws(SQLiteError) -> (Int, Int64) {
        let select = try db.prepare("SELECT seq, at, length(body) FROM events WHERE droppable = 1 ORDER BY seq LIMIT 256")
        let delete = try db.prepare("DELETE FROM events WHERE seq = ?")
        var freed: Int64 = 0
        var dropped = 0
        var oldest = Int64.max
        var newest = Int64.min
        while freed < toFree {
            try select.bind([])
            var batch: [(Int64, Int64, Int64)] = []
            while try select.step() { batch.append((select.int(0), select.int(1), select.int(2))) }
            if batch.isEmpty { break }
            for (seq, at, size) in batch where freed < toFree {
                try delete.run([.integer(seq)])
                freed += size
                dropped += 1
                oldest = min(oldest, at)
                newest = max(newest, at)
            }
        }
        guard dropped > 0 else { return (0, 0) }
        // The stored total comes from the file: saturate rather than trap on a damaged value.
        let total = max(0, Int64(try metaNow("dropped_usage_total") ?? "0") ?? 0).saturatingAdd(Int64(dropped))
        try setMetaNow("dropped_usage_total", "\(total)")
        logger.warning(
            "outbox full: dropped usage minutes oldest-first",
            metadata: ["dropped": "\(dropped)", "dropped_total": "\(total)", "limit_bytes": "\(maximumBytes)"])
        // Merge into a report not yet handed to the uploader, so a long outage leaves one report, not many.
        let open = try db.prepare(
            "SELECT seq, body FROM events WHERE kind = 'usage_dropped' AND seq > ? ORDER BY seq DESC LIMIT 1")
        try open.bind([.integer(handedOutThrough)])
        var summary = DroppedUsage(count: Int64(dropped), oldest: oldest, newest: newest)
        var replacing: (seq: Int64, size: Int64)?
        if try open.step(), let old = try? JSONDecoder().decode(AgentEvent.self, from: Data(open.text(1).utf8)),
            case .usageDropped(let previous) = old.body
        {
            summary = DroppedUsage(
                count: max(0, previous.count).saturatingAdd(summary.count), oldest: min(previous.oldest, oldest),
                newest: max(previous.newest, newest))
            replacing = (open.int(0), Int64(open.text(1).utf8.count))
        }
        let at = clock.nowMillis()
        guard let data = try? JSONEncoder().encode(AgentEvent(seq: 0, at: at, body: .usageDropped(summary))) else {
            return (dropped, freed)
        }
        let json = String(decoding: data, as: UTF8.self)
        if let replacing {
            try db.prepare("UPDATE events SET body = ? WHERE seq = ?").run([.text(json), .integer(replacing.seq)])
            return (dropped, freed - Int64(json.utf8.count) + replacing.size)
        }
        try db.prepare("INSERT INTO events(at, kind, droppable, body) VALUES(?, 'usage_dropped', 0, ?)").run([
            .integer(at), .text(json),
        ])
        return (dropped - 1, freed - Int64(json.utf8.count))
    }

    /// Usage minutes dropped since this outbox was created.
    public var droppedUsageTotal: Int64 { Int64((try? metaNow("dropped_usage_total")) ?? nil ?? "0") ?? 0 }
}
