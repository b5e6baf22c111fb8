import ArgumentParser
import ClassroomCore
import ClassroomReports
import ClassroomSamples
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `classroomctl coverage report`: the coverage report of a county against a target profile.
struct CoverageReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compute coverage indicators, between-school balance (差异系数) and per-school gaps against a profile.",
        discussion: """
            With --registry DIR the report is computed offline from a registry folder on the declared \
            basis (the rooms.csv 'declared' column), with no collector. Without --registry or --sample it \
            fetches the report from a classroom-collector (--collector URL --token T, or CLASSROOM_COLLECTOR \
            and CLASSROOM_TOKEN), verified basis by default (what agents verified). Formats: table (default), json (for scripts), \
            csv (UTF-8 with BOM, opens in Excel in a Chinese locale), html (printable report with charts).
            Exit status: 0 when the report was written, 1 on any error.
            """
    )

    @Option(help: "Target profile: a NAME (looked up as NAME.toml) or a path to a .toml file.")
    var profile: String

    @Option(help: "Compute offline from this registry folder (declared basis).")
    var registry: String?

    @OptionGroup var collector: CollectorOptions

    @Option(
        help: """
            Instead of --registry: compute on a synthetic county of N schools generated in memory (demos, benchmarks); \
            with --basis verified, the agents' evidence is simulated too.
            """)
    var sample: Int?

    @Option(help: "Seed of the synthetic county (with --sample).")
    var seed: UInt64 = 1

    @Option(
        help:
            "verified (from agents, needs the collector) or declared (from rooms.csv). Default: declared with --registry, else verified."
    )
    var basis: BasisOption?

    @Option(help: "The report's day, YYYY-MM-DD (default: today in the county's time zone).")
    var at: String?

    @Option(help: "With --to: weekly points from this day (YYYY-MM-DD) for trend lines (table or json).")
    var from: String?

    @Option(help: "Last day of the weekly points (default: --at, or today).")
    var to: String?

    @Option(
        help: """
            Only this county of a prefecture registry (the schools.csv 'county' value): its schools, its figures \
            and its between-school balance. Without it a registry of several counties gives county rows and a prefecture total.
            """)
    var county: String?

    @Option(help: "With --sample: split the synthetic schools among N counties (a prefecture).")
    var counties: Int = 1

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

    @Option(help: .hidden)
    var schoolsPerRequest: Int = 100_000

    func run() async throws {
        do {
            if registry == nil, sample == nil {
                try await fetch()
            } else {
                try produce()
            }
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
        if basis == .verified, sample == nil {
            throw CLIError(
                "--basis verified needs agents' evidence from a classroom-collector; with --registry or --sample the basis is declared"
            )
        }
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = Self.cpuSeconds()
        var county: Registry
        if let registry {
            guard sample == nil else { throw CLIError("--sample and --registry cannot be used together") }
            county = try RegistryFolder.load(registry).registry
        } else {
            let n = sample ?? 0
            guard (1...100_000).contains(n) else { throw CLIError("--sample must be between 1 and 100000") }
            guard (1...100).contains(counties), counties <= n else {
                throw CLIError("--counties must be between 1 and 100, and at most --sample")
            }
            county = SampleCounty(schools: n, seed: seed, counties: counties).generate()
        }
        county = try Self.only(county: self.county, of: county)
        let countyProfiles = try self.countyProfiles(of: targetProfile, for: county)
        if from != nil || to != nil {
            let bytes = try trend(county: county, profile: targetProfile, zone: zone, today: day)
            try write(bytes)
            return
        }
        // A synthetic county can also have a simulated verified basis (demos and benchmarks).
        let simulated = basis == .verified ? SampleEvidence(seed: seed).generate(for: county, at: day, zone: zone) : nil
        let loadedAt = clock.now
        let cpuLoaded = Self.cpuSeconds()
        let report = CoverageCalculator(
            profile: targetProfile, registry: county, basis: simulated == nil ? .declared : .verified,
            evidence: simulated ?? CoverageEvidence(), at: day, zone: zone, countyProfiles: countyProfiles
        ).report()
        let computedAt = clock.now
        let cpuComputed = Self.cpuSeconds()
        try write(try render(report))
        if timings {
            let end = clock.now
            printError(
                "timings: load \(loadedAt - start) (cpu \(Self.format(cpuLoaded - cpuStart)) s), compute \(computedAt - loadedAt) "
                    + "(cpu \(Self.format(cpuComputed - cpuLoaded)) s), render+write \(end - computedAt) "
                    + "(cpu \(Self.format(Self.cpuSeconds() - cpuComputed)) s), total \(end - start) "
                    + "(\(report.schools.count) schools, \(county.rooms.count) rooms)")
        }
    }
}

extension CoverageReportCommand {
    /// `--county`: the registry's part in that county, or an error listing the counties it has.
    static func only(county name: String?, of registry: Registry) throws -> Registry {
        guard let name else { return registry }
        let part = registry.filtered(county: name)
        guard !part.schools.isEmpty else {
            throw CLIError(
                "--county '\(name)': no school of the registry is in it (counties: \(registry.counties.joined(separator: ", ")))")
        }
        return part
    }

    /// The county profiles a prefecture profile names (`[[county]]`), for the counties present.
    func countyProfiles(of profile: TargetProfile, for registry: Registry) throws -> [String: TargetProfile] {
        let present = Set(registry.counties)
        guard present.count > 1 else { return [:] }
        let locator = ProfileLocator(profilesDirectory: profilesDir)
        var out: [String: TargetProfile] = [:]
        for (county, name) in profile.countyProfiles where present.contains(county) {
            out[county] = try locator.load(name)
        }
        return out
    }

    /// CPU time of the process (user + system), so timings mean something on a shared machine.
    static func cpuSeconds() -> Double {
        #if canImport(Glibc)
            var ts = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        #else
            return 0
        #endif
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }
}

/// Output formats of the coverage report.
enum CoverageFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, html
}

/// `--lang`: the languages of the human-readable outputs (``ClassroomReports/ReportLanguage``).
extension ReportLanguage: ExpressibleByArgument {}

/// `--basis`: the CLI's spelling of ``CoverageBasis``.
enum BasisOption: String, ExpressibleByArgument, CaseIterable {
    case verified, declared
}
