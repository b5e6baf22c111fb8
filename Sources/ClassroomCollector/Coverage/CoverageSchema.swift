/// The coverage report's index, after the spot-check tables in ``CollectorSchema/migrations``.
enum CoverageSchema {
    /// The evidence reader asks for a few event kinds in a time window (`kind IN (…) AND at
    /// BETWEEN …`); without this index every report, and every point of a trend, scans all events
    /// ever stored.
    static let migration = CollectorSchema.Migration(
        name: "v200-coverage-events-window",
        statements: ["CREATE INDEX events_kind_at ON events (kind, at)"])
}
