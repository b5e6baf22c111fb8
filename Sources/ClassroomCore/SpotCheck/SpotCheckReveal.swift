/// The reveal document published after the week (JSON): every input of the draw, its result and
/// the salt, so that anyone can recompute the draw and the commitment (``SpotCheckVerifier``).
public struct SpotCheckReveal: Codable, Sendable, Hashable {
    public static let currentFormat = "classroomfleet-spotcheck-reveal/1"

    /// The eligibility snapshot as published: the eligible teachers with their lessons.
    public struct Snapshot: Codable, Sendable, Hashable {
        public var teachers: [SpotCheckTeacher]
        public init(teachers: [SpotCheckTeacher]) { self.teachers = teachers }
    }

    public var format: String
    public var week: ISOWeek
    public var count: Int
    public var beacon: String
    public var roundsBefore: SpotCheckRoundState
    public var snapshot: Snapshot
    /// Hex of SHA-256 over the canonical snapshot.
    public var snapshotDigest: String
    public var seed: String
    public var orders: [SpotCheckOrder]
    public var shortfall: Int
    public var newRoundStarted: Bool
    public var roundsAfter: SpotCheckRoundState
    public var salt: String
    /// The commitment published at draw time.
    public var commitment: String

    /// The reveal of a draw that was committed with `salt`.
    public init(input: SpotCheckDrawInput, result: SpotCheckResult, salt: [UInt8]) {
        format = Self.currentFormat
        week = input.week
        count = input.count
        beacon = input.beacon
        roundsBefore = input.rounds
        snapshot = Snapshot(teachers: input.snapshot.teachers)
        snapshotDigest = SpotCheckHex.encode(input.snapshot.digest)
        seed = SpotCheckHex.encode(result.seed)
        orders = result.orders
        shortfall = result.shortfall
        newRoundStarted = result.newRoundStarted
        roundsAfter = result.roundsAfter
        self.salt = SpotCheckHex.encode(salt)
        commitment = SpotCheckHex.encode(SpotCheckCommitment.commitment(of: result, salt: salt))
    }

    enum CodingKeys: String, CodingKey {
        case format, week, count, beacon, snapshot, seed, orders, shortfall, salt, commitment
        case roundsBefore = "rounds_before"
        case snapshotDigest = "snapshot_digest"
        case newRoundStarted = "new_round_started"
        case roundsAfter = "rounds_after"
    }
}
