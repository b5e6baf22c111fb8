/// The first place where a published reveal and the recomputed draw disagree.
public struct SpotCheckDifference: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON field, such as `orders[3].room_id` or `commitment`.
    public var field: String
    public var published: String
    public var recomputed: String

    public init(field: String, published: String, recomputed: String) {
        self.field = field
        self.published = published
        self.recomputed = recomputed
    }

    public var description: String { "\(field): the reveal says \(published), the recomputed draw gives \(recomputed)" }
}

/// Offline audit of a reveal: recomputes the snapshot digest, the seed, the draw and the commitment
/// from the published inputs, and stops at the first difference.
public enum SpotCheckVerifier {
    /// The recomputed result when everything matches.
    ///
    /// - Throws: ``SpotCheckInputError`` when the published inputs are inconsistent (named by
    ///   field), ``SpotCheckDifference`` at the first field that differs.
    public static func verify(_ reveal: SpotCheckReveal) throws -> SpotCheckResult {
        guard reveal.format == SpotCheckReveal.currentFormat else {
            throw SpotCheckInputError("format: '\(reveal.format)' is not \(SpotCheckReveal.currentFormat)")
        }
        guard (1...1_000_000).contains(reveal.count) else { throw SpotCheckInputError("count: \(reveal.count) is not 1…1000000") }
        guard let salt = SpotCheckHex.decode(reveal.salt), salt.count == SpotCheckCommitment.saltLength else {
            throw SpotCheckInputError("salt: not \(SpotCheckCommitment.saltLength) bytes of hex")
        }
        let snapshot = try SpotCheckSnapshot(teachers: reveal.snapshot.teachers)
        try same("snapshot_digest", reveal.snapshotDigest.lowercased(), SpotCheckHex.encode(snapshot.digest))
        let input = SpotCheckDrawInput(
            week: reveal.week, count: reveal.count, beacon: reveal.beacon, snapshot: snapshot, rounds: reveal.roundsBefore)
        let result = SpotCheckDraw.run(input)
        try same("seed", reveal.seed.lowercased(), SpotCheckHex.encode(result.seed))
        try same("orders (count)", "\(reveal.orders.count) orders", "\(result.orders.count) orders")
        for (i, (p, r)) in zip(reveal.orders, result.orders).enumerated() {
            let at = "orders[\(i)]."
            try same(at + "teacher_id", p.teacherID, r.teacherID)
            try same(at + "school_id", p.schoolID, r.schoolID)
            try same(at + "round", "\(p.round)", "\(r.round)")
            try same(at + "room_id", p.roomID, r.roomID)
            try same(at + "weekday", "\(p.weekday)", "\(r.weekday)")
            try same(at + "start", "\(p.start)", "\(r.start)")
            try same(at + "end", "\(p.end)", "\(r.end)")
            try same(at + "subject", p.subject, r.subject)
        }
        try same("shortfall", "\(reveal.shortfall)", "\(result.shortfall)")
        try same("new_round_started", "\(reveal.newRoundStarted)", "\(result.newRoundStarted)")
        try same("rounds_after.round", "\(reveal.roundsAfter.round)", "\(result.roundsAfter.round)")
        let published = reveal.roundsAfter.drawnSorted
        let recomputed = result.roundsAfter.drawnSorted
        for (k, (p, r)) in zip(published, recomputed).enumerated() {
            try same("rounds_after.drawn[\(k)]", p, r)
        }
        try same("rounds_after.drawn (count)", "\(published.count) teachers", "\(recomputed.count) teachers")
        let commitment = SpotCheckCommitment.commitment(of: result, salt: salt)
        try same("commitment", reveal.commitment.lowercased(), SpotCheckHex.encode(commitment))
        return result
    }

    private static func same(_ field: String, _ published: String, _ recomputed: String) throws(SpotCheckDifference) {
        if published != recomputed {
            throw SpotCheckDifference(field: field, published: "'\(published)'", recomputed: "'\(recomputed)'")
        }
    }
}
