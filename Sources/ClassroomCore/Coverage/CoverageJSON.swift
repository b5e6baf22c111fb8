import Dispatch
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON form of a ``CoverageReport``, shared by `classroomctl coverage report --format json`
/// and the collector's `GET /api/v1/coverage`, so both give byte-identical documents.
public enum CoverageJSON {
    /// Pretty-printed, sorted keys, a final newline.
    ///
    /// A large report is written in parts at once — the report without its school rows and its
    /// county's township rows, and each half of those two lists — and spliced
    /// (``inParts(_:splittingFrom:)``): at the province `JSONEncoder` writing one page (1,000 schools and
    /// the county's 10 MB of township rows) took about 0.4 s of a 2 s request on one core, with the
    /// collector's second core idle.
    public static func encode(_ report: CoverageReport) throws -> [UInt8] {
        try inParts(report, splittingFrom: 200) ?? whole(report)
    }

    /// ``encode(_:)`` with the schools and the county's townships each in two parts when there are at least
    /// `minimum` (and at least 2) of them. The bytes are those of one `JSONEncoder` pass
    /// (``CoverageJSONSplitTests`` compares them): a list written alone is less indented, and JSON
    /// strings hold no raw line breaks, so spaces at the start of each of its lines (but the empty line
    /// of an empty array) put it at its depth.
    ///
    /// Nil when neither list is that long, or when a part does not have the shape expected (then one
    /// pass writes the report).
    static func inParts(_ report: CoverageReport, splittingFrom minimum: Int) throws -> [UInt8]? {
        let least = max(minimum, 2)
        let schools = report.schools.count >= least ? report.schools : []
        let townships = (report.county.townships?.count ?? 0) >= least ? report.county.townships ?? [] : []
        guard !schools.isEmpty || !townships.isEmpty else { return nil }
        let outer = {
            var r = report
            if !schools.isEmpty { r.schools = [] }
            if !townships.isEmpty { r.county.townships = [] }
            return r
        }()
        var jobs: [@Sendable () throws -> [UInt8]] = [{ try whole(outer) }]
        for half in halves(schools) { jobs.append { try bytes(half) } }
        for half in halves(townships) { jobs.append { try bytes(half) } }
        let parts = jobs
        let results = Mutex<[Int: Result<[UInt8], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: parts.count) { i in
            let result = Result { try parts[i]() }
            results.withLock { $0[i] = result }
        }
        var written = try results.withLock { done in try (0..<parts.count).map { try done[$0]!.get() } }
        var out = written.removeFirst()
        // The schools (the top level's key, two spaces in: a county's `schools` is a number) come after
        // the county in key order, so splicing them first leaves the townships' place where it was.
        if !schools.isEmpty {
            guard
                let spliced = splice(
                    written.removeFirst(), written.removeFirst(), into: out, after: [], key: "schools", levels: 1)
            else { return nil }
            out = spliced
        }
        if !townships.isEmpty {
            guard
                let spliced = splice(
                    written[0], written[1], into: out, after: Array("\n  \"county\" : {".utf8), key: "townships", levels: 2)
            else { return nil }
            out = spliced
        }
        return out
    }

    /// `list` in two halves, none when it is empty.
    static func halves<T: Sendable>(_ list: [T]) -> [[T]] {
        list.isEmpty ? [] : [Array(list[..<(list.count / 2)]), Array(list[(list.count / 2)...])]
    }

    /// `head` with the empty array of `key` — the first one `levels` deep after `after` — replaced by the
    /// elements of the arrays `first` and `second`; nil when `head` or the parts have another shape.
    static func splice(_ first: [UInt8], _ second: [UInt8], into head: [UInt8], after: [UInt8], key: String, levels: Int)
        -> [UInt8]?
    {
        let indent = String(repeating: "  ", count: levels)
        let needle = Array("\n\(indent)\"\(key)\" : [".utf8)
        guard let from = after.isEmpty ? 0 : ByteSearch.firstIndex(of: after, in: head),
            let found = ByteSearch.firstIndex(of: needle, in: head[from...]).map({ $0 + needle.count }),
            let close = head[found...].firstIndex(where: { $0 != 0x20 && $0 != 0x0A }), head[close] == 0x5D,
            let a = elements(first), let b = elements(second)
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(head.count + first.count + second.count + (first.count + second.count) / 8)
        out += head[..<found]
        out.append(0x0A)
        indented(a, levels: levels, into: &out)
        out += ",\n".utf8
        indented(b, levels: levels, into: &out)
        out.append(0x0A)
        out += indent.utf8
        out += head[close...]
        return out
    }

    static let formatting: JSONEncoder.OutputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]

    static func bytes(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        return Array(try encoder.encode(value))
    }

    /// The report in one pass, with the final newline.
    static func whole(_ report: CoverageReport) throws -> [UInt8] { try bytes(report) + [0x0A] }

    /// The lines between a non-empty array's `[` and `]` as `JSONEncoder` writes it alone, nil for
    /// any other shape.
    static func elements(_ array: [UInt8]) -> ArraySlice<UInt8>? {
        guard array.count > 4, array.starts(with: [0x5B, 0x0A]), array.last == 0x5D, array[array.count - 2] == 0x0A
        else { return nil }
        return array[2..<(array.count - 2)]
    }

    /// `lines` with `levels` more indentation (two spaces each) at the start of each line that is not
    /// empty.
    static func indented(_ lines: ArraySlice<UInt8>, levels: Int = 1, into out: inout [UInt8]) {
        let indent = Array(repeating: UInt8(0x20), count: 2 * levels)
        var start = lines.startIndex
        while start < lines.endIndex {
            let end = lines[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? lines.endIndex
            // An empty array's inner line stays empty, as `JSONEncoder` writes it at any depth.
            if lines[start] != 0x0A { out += indent }
            out += lines[start..<end]
            start = end
        }
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
