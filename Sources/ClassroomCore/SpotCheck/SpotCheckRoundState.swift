/// Where the rotation (分轮) stands: the current round and the teachers already drawn in it.
///
/// A value in, a value out: ``SpotCheckDraw`` takes the state before a week and returns the state
/// after it; the caller stores it (the collector in its database, `simulate` in memory).
public struct SpotCheckRoundState: Codable, Sendable, Hashable {
    /// 1 for the first round.
    public var round: Int
    /// Teachers drawn in the current round (teachers no longer eligible may stay in it).
    public var drawn: Set<String>

    public init(round: Int = 1, drawn: Set<String> = []) {
        self.round = round
        self.drawn = drawn
    }

    /// Round 1, nobody drawn yet.
    public static let initial = SpotCheckRoundState()

    /// ``drawn`` in canonical (bytewise UTF-8) order, as it is hashed and written.
    public var drawnSorted: [String] { drawn.sorted(by: utf8Precedes) }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        round = try c.decode(Int.self, forKey: .round)
        let list = try c.decode([String].self, forKey: .drawn)
        drawn = Set(list)
        guard round >= 1 else {
            throw DecodingError.dataCorruptedError(forKey: .round, in: c, debugDescription: "round must be ≥ 1, not \(round)")
        }
        guard drawn.count == list.count else {
            throw DecodingError.dataCorruptedError(forKey: .drawn, in: c, debugDescription: "a teacher_id appears twice")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(round, forKey: .round)
        try c.encode(drawnSorted, forKey: .drawn)
    }

    enum CodingKeys: String, CodingKey { case round, drawn }
}
