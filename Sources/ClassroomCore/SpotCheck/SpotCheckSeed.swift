/// The seed of a draw: SHA-256 over a domain label, the ISO week, the snapshot digest, the count,
/// the round state and the beacon (docs/spotcheck-draw.md §3).
public enum SpotCheckSeed {
    /// The 32-byte seed.
    ///
    /// - Parameters:
    ///   - beacon: the public value named by the bureau (for example lottery numbers drawn after the
    ///     draw was announced), hashed as its UTF-8 bytes exactly as given.
    public static func derive(
        week: ISOWeek, snapshotDigest: [UInt8], count: Int, rounds: SpotCheckRoundState, beacon: String
    ) -> [UInt8] {
        var c = CanonicalBytes(label: SpotCheckLabels.seed)
        c.frame(week.description)
        c.raw(snapshotDigest)
        c.u32(count)
        c.u32(rounds.round)
        let drawn = rounds.drawnSorted
        c.u32(drawn.count)
        for id in drawn { c.frame(id) }
        c.frame(beacon)
        return c.sha256
    }
}
