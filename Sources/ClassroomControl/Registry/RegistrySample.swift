import ArgumentParser
import ClassroomCore
import ClassroomSamples
import Foundation

/// `classroomctl registry sample`: writes a synthetic county for demos and benchmarks.
struct RegistrySample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a realistic synthetic county registry (deterministic for a seed).",
        discussion: """
            Mixed primary, junior, nine-year, complete secondary and senior schools plus village \
            teaching points, about one teacher per 15–20 students, a full weekday timetable. \
            Use --schools 20000 for a province-scale load (about 4–5 million lessons).
            """
    )

    @Option(help: "Folder to write schools.csv, rooms.csv, teachers.csv and timetable.csv into (created if missing).")
    var out: String

    @Option(help: "Number of schools.")
    var schools: Int = 20

    @Option(help: "Random seed; the same seed and size give the same county.")
    var seed: UInt64 = 1

    @Option(help: "County name written into schools.csv.")
    var county: String = "样例县"

    @Option(
        help: "Write a prefecture of N counties (Zhaotong's county names, schools split among them) instead of one county.")
    var counties: Int = 1

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func validate() throws {
        guard (1...100_000).contains(schools) else { throw ValidationError("--schools must be between 1 and 100000") }
        guard !county.isEmpty else { throw ValidationError("--county must not be empty") }
        guard (1...100).contains(counties), counties <= schools else {
            throw ValidationError("--counties must be between 1 and 100, and at most --schools")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let registry = SampleCounty(schools: schools, seed: seed, countyName: county, counties: counties).generate()
        let generated = clock.now
        try RegistryFolder.write(RegistryCSVWriter.files(registry), to: out)
        let written = clock.now
        let summary = RegistrySummary(registry)
        if json {
            printJSON(summary)
        } else {
            print(
                RegistryCheck.render(summary, county: counties > 1 ? "" : county, encodings: [:]).replacing(
                    "Registry OK", with: "Wrote \(out)"))
        }
        printError("generated in \(Self.seconds(generated - start)), written in \(Self.seconds(written - generated))")
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000) s"
    }
}
