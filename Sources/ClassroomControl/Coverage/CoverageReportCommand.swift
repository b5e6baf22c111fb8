import ArgumentParser
import ClassroomCore
import Foundation

/// `classroomctl coverage report`: the coverage report of a county against a target profile.
struct CoverageReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compute coverage indicators, between-school balance (差异系数) and per-school gaps against a profile.",
        discussion: """
            With --registry DIR the report is computed offline from a registry folder on the declared \
            basis (the rooms.csv 'declared' column), with no collector. The verified basis (what agents \
            verified) comes from a classroom-collector. Formats: table (default), json (for scripts), \
            csv (UTF-8 with BOM, opens in Excel in a Chinese locale), html (printable report with charts).
            Exit status: 0 when the report was written, 1 on any error.
            """
    )

    @Option(help: "Target profile: a NAME (looked up as NAME.toml) or a path to a .toml file.")
    var profile: String

    @Option(help: "Compute offline from this registry folder (declared basis).")
    var registry: String?

    @Option(help: "Instead of --registry: compute on a synthetic county of N schools generated in memory (demos, benchmarks).")
    var sample: Int?

    @Option(help: "Seed of the synthetic county (with --sample).")
    var seed: UInt64 = 1

    @Option(help: "verified (from agents, needs the collector) or declared (from rooms.csv). Default: declared with --registry.")
    var basis: BasisOption?

    @Option(help: "The report's day, YYYY-MM-DD (default: today in the county's time zone).")
    var at: String?

    @Option(help: "table, json, csv or html.")
    var format: CoverageFormat = .table

    @Option(help: "Write the report to FILE instead of standard output.")
    var out: String?

    @Option(help: "Language of table, csv and html output: zh or en.")
    var lang: ReportLanguage = .zh

    @Option(help: "Folder to look up profile names in (before $CLASSROOMFLEET_PROFILES and ./Deploy/profiles).")
    var profilesDir: String?

    @Option(help: "The county's time zone.")
    var timeZone: String = "Asia/Shanghai"

    @Flag(help: "Print the time spent loading, computing and rendering to standard error.")
    var timings = false

    func run() throws {
        do {
            try produce()
        } catch let error as CLIError {
            printError("error: \(error)")
            throw ExitCode(1)
        } catch let error as RegistryProblems {
            for p in error.problems { printError("\(p)") }
            printError("error: the registry has \(error.problems.count) problem(s); fix them first (classroomctl registry check)")
            throw ExitCode(1)
        }
    }

    func produce() throws {
        let targetProfile = try ProfileLocator(profilesDirectory: profilesDir).load(profile)
        let zone: CountyTimeZone
        do { zone = try CountyTimeZone.named(timeZone) } catch { throw CLIError("--time-zone: \(error)") }
        let day: LocalDate
        if let at {
            guard let d = LocalDate(parsing: at) else { throw CLIError("--at '\(at)': expected a date YYYY-MM-DD") }
            day = d
        } else {
            day = zone.localTime(of: Date()).date
        }
        guard registry != nil || sample != nil else {
            throw CLIError(
                "coverage from a classroom-collector is not yet available: pass --registry DIR to compute it offline "
                    + "from a registry folder (declared basis)")
        }
        if basis == .verified {
            throw CLIError(
                "--basis verified needs agents' evidence from a classroom-collector; with --registry or --sample the basis is declared"
            )
        }
        let clock = ContinuousClock()
        let start = clock.now
        let county: Registry
        if let registry {
            guard sample == nil else { throw CLIError("--sample and --registry cannot be used together") }
            county = try RegistryFolder.load(registry).registry
        } else {
            let n = sample ?? 0
            guard (1...100_000).contains(n) else { throw CLIError("--sample must be between 1 and 100000") }
            county = SampleCounty(schools: n, seed: seed).generate()
        }
        let loadedAt = clock.now
        let report = CoverageCalculator(
            profile: targetProfile, registry: county, basis: .declared, at: day, zone: zone
        ).report()
        let computedAt = clock.now
        let bytes: [UInt8]
        switch format {
        case .table: bytes = Array(CoverageTableRenderer(report: report, lang: lang).render().utf8)
        case .json: bytes = try CoverageJSON.encode(report)
        case .csv: bytes = CoverageCSVRenderer(report: report, lang: lang).render()
        case .html: bytes = Array(CoverageHTMLRenderer(report: report, lang: lang).render().utf8)
        }
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                throw CLIError("\(out): cannot write")
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        if timings {
            let end = clock.now
            printError(
                "timings: load \(loadedAt - start), compute \(computedAt - loadedAt), render+write \(end - computedAt), "
                    + "total \(end - start) (\(report.schools.count) schools, \(county.rooms.count) rooms)")
        }
    }
}

/// Output formats of the coverage report.
enum CoverageFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, html
}

/// Languages of the human-readable outputs.
enum ReportLanguage: String, ExpressibleByArgument, CaseIterable {
    case zh, en
}

/// `--basis`: the CLI's spelling of ``CoverageBasis``.
enum BasisOption: String, ExpressibleByArgument, CaseIterable {
    case verified, declared
}

/// The JSON form of the report.
enum CoverageJSON {
    static func encode(_ report: CoverageReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report)) + [0x0A]
    }
}
