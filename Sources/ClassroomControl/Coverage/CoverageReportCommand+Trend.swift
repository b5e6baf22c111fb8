import ClassroomCore
import ClassroomReports
import ClassroomSamples
import Foundation

extension CoverageReportCommand {
    /// Writes the report bytes to `--out` or standard output.
    func write(_ bytes: [UInt8]) throws {
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                throw CLIError("\(out): cannot write")
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }

    /// `--from/--to`: the county's indicators at weekly points (the Sunday of each ISO week).
    func trend(county: Registry, profile: TargetProfile, zone: CountyTimeZone, today: LocalDate) throws -> [UInt8] {
        let (first, last) = try trendRange(today: today)
        let verified = basis == .verified
        let reports = CoverageTrend.days(from: first, to: last).map { day in
            CoverageCalculator(
                profile: profile, registry: county, basis: verified ? .verified : .declared,
                evidence: verified ? SampleEvidence(seed: seed).generate(for: county, at: day, zone: zone) : CoverageEvidence(),
                at: day, zone: zone
            ).report()
        }
        let doc = CoverageTrend.Document(
            profile: profile.name, basis: verified ? .verified : .declared, points: CoverageTrend.points(reports))
        return try renderTrend(doc, title: "\(profile.title) — \(county.schools.first?.county ?? "")")
    }

    /// `--from`/`--to` checked (dates, in order, at most three years, table or json); `--to`
    /// defaults to `today` (the `--at` day or today).
    func trendRange(today: LocalDate) throws -> (LocalDate, LocalDate) {
        guard let fromText = from else { throw CLIError("--to needs --from") }
        guard let first = LocalDate(parsing: fromText) else { throw CLIError("--from '\(fromText)': expected a date YYYY-MM-DD") }
        var last = today
        if let to {
            guard let d = LocalDate(parsing: to) else { throw CLIError("--to '\(to)': expected a date YYYY-MM-DD") }
            last = d
        }
        switch CoverageTrend.check(from: first, to: last) {
        case .reversed: throw CLIError("--from \(first) is after --to \(last)")
        case .tooLong: throw CLIError("--from/--to: at most three years")
        case nil: break
        }
        guard format == .table || format == .json else { throw CLIError("--from/--to: use --format table or json") }
        return (first, last)
    }

    /// The trend as JSON, or as a table: one row per indicator and stage with a target, one column per week.
    func renderTrend(_ doc: CoverageTrend.Document, title: String) throws -> [UInt8] {
        if format == .json { return try doc.encoded() }
        let l = CoverageLabels(lang: lang)
        let points = doc.points
        var rows = [[l.t("指标", "Indicator"), l.t("学段", "Stage"), l.t("目标", "Target")] + points.map(\.week)]
        for i in points.first?.indicators ?? [] where i.target != nil {
            rows.append(
                [l.name(i.key), l.stage(i.stage), l.value(i.target, i.key)]
                    + points.map { p in
                        p.indicators.first { $0.key == i.key && $0.stage == i.stage }.map { l.value(of: $0) } ?? "—"
                    })
        }
        let scope = doc.scope.map { "，\($0)" } ?? ""
        return Array(
            ([title + "，" + l.basis(doc.basis) + scope] + CoverageTableRenderer.table(rows)).joined(separator: "\n").utf8)
            + [0x0A]
    }
}
