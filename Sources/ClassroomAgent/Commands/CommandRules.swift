import ClassroomWire

/// The checks every command passes before the agent acts on it (pure; the poller applies them).
///
/// - Important: a command refused here is answered `failed: <reason>` and acknowledged; it never reaches
///   a handler. Times are milliseconds since 1970 on the agent's clock.
public enum CommandRules {
    /// 2000-01-01T00:00:00Z: no command or lesson time of this system lies before it.
    public static let earliestMillis: Int64 = 946_684_800_000
    /// How far after the agent's clock a time may lie (one day: clocks drift, lessons are the same day).
    public static let horizonMillis: Int64 = 86_400_000

    /// Why `command` is refused, or nil.
    public static func problem(with command: AgentCommand, now: Int64) -> String? {
        if command.id.utf8.count > 256 { return "command id is longer than 256 bytes" }
        if let problem = timeProblem("issued_at", command.issuedAt, now: now) { return problem }
        if command.kind == .spotcheckStart, let order = command.spotcheck {
            return SpotCheckOrderRules.problem(with: order, now: now)
        }
        return nil
    }

    /// Why time `value` of `field` is outside 2000 … `now` + one day, or nil.
    public static func timeProblem(_ field: String, _ value: Int64, now: Int64) -> String? {
        guard value >= earliestMillis else { return "field '\(field)' is \(value), before the year 2000" }
        let (latest, overflow) = now.addingReportingOverflow(horizonMillis)
        guard overflow || value <= latest else {
            return "field '\(field)' is \(value), more than a day after the agent's clock (\(now))"
        }
        return nil
    }
}
