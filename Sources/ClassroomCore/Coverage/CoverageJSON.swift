#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON form of a ``CoverageReport``, shared by `classroomctl coverage report --format json`
/// and the collector's `GET /api/v1/coverage`, so both give byte-identical documents.
public enum CoverageJSON {
    /// Pretty-printed, sorted keys, a final newline.
    public static func encode(_ report: CoverageReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report)) + [0x0A]
    }

    /// Reads a report back (the CLI renders a collector's answer as table, CSV or HTML).
    public static func decode(_ bytes: [UInt8]) throws -> CoverageReport {
        try JSONDecoder().decode(CoverageReport.self, from: Data(bytes))
    }
}

/// An indicator a collector cannot measure yet, and why (the report's `not_measured`).
public struct NotMeasuredIndicator: Codable, Sendable, Hashable {
    public var key: CoverageIndicatorKey
    public var reason: String

    public init(key: CoverageIndicatorKey, reason: String) {
        self.key = key
        self.reason = reason
    }
}
