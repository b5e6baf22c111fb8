/// The commitment published at draw time: SHA-256(canonical result ‖ salt), so that the result can
/// stay secret until each lesson starts and still cannot be changed afterwards.
///
/// - Important: the salt must be secret and random until the reveal (32 bytes from the system's
///   generator); without it, the few possible results of a public draw could be tried one by one.
public enum SpotCheckCommitment {
    public static let saltLength = 32

    public static func commitment(of result: SpotCheckResult, salt: [UInt8]) -> [UInt8] {
        var c = CanonicalBytes(label: SpotCheckLabels.result)
        c.raw(canonicalBody(of: result))
        c.raw(salt)
        return c.sha256
    }

    /// A fresh salt from `generator` (the system generator in production).
    public static func salt(using generator: inout some RandomNumberGenerator) -> [UInt8] {
        (0..<saltLength).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Everything after the label: week, seed, count, shortfall, rotation after, then the orders.
    static func canonicalBody(of r: SpotCheckResult) -> [UInt8] {
        var c = CanonicalBytes()
        c.frame(r.week.description)
        c.raw(r.seed)
        c.u32(r.count)
        c.u32(r.shortfall)
        c.u8(r.newRoundStarted ? 1 : 0)
        c.u32(r.roundsAfter.round)
        let drawn = r.roundsAfter.drawnSorted
        c.u32(drawn.count)
        for id in drawn { c.frame(id) }
        c.u32(r.orders.count)
        for o in r.orders {
            c.u32(o.round)
            c.frame(o.teacherID)
            c.frame(o.schoolID)
            c.frame(o.roomID)
            c.u8(o.weekday)
            c.u16(o.start.minutes)
            c.u16(o.end.minutes)
            c.frame(o.subject)
        }
        return c.bytes
    }
}
