import ArgumentParser
import ClassroomCore
import ClassroomReports
import Foundation

/// `classroomctl spotcheck verify --file REVEAL.json`: an auditor's offline check of a published draw.
struct SpotCheckVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute a published draw from its reveal document and check it and its commitment.",
        discussion: """
            Recomputes the snapshot digest, the seed, the draw (teachers, lessons, rounds) and the \
            commitment from the inputs published in the reveal, and compares each with what the reveal \
            says. With several files of consecutive weeks, also checks that each week's rotation \
            (rounds_before) continues the previous week's (rounds_after). --commitment checks the \
            reveal against the commitment published at draw time.

            Exit status: 0 when everything matches; 1 with the first difference (or the unreadable \
            field) printed to standard error.
            """
    )

    @Option(name: .customLong("file"), help: "A reveal document (JSON); repeat for several weeks.")
    var files: [String] = []

    @Option(help: "Fetch the published reveal of this ISO week from the collector and verify it.")
    var week: String?

    @OptionGroup var collector: CollectorOptions

    @Option(help: "The commitment (hex) published at draw time; only with a single --file.")
    var commitment: String?

    @Flag(help: "Print {\"verified\", \"files\": [{\"file\", \"week\", \"verified\", \"orders\", \"difference\"}]} as JSON.")
    var json = false

    func validate() throws {
        guard !files.isEmpty || week != nil else { throw ValidationError("give --week W or at least one --file REVEAL.json") }
        if commitment != nil && files.count + (week == nil ? 0 : 1) != 1 {
            throw ValidationError("--commitment needs exactly one --file")
        }
    }

    struct FileResult: Encodable {
        var file: String
        var week: String?
        var verified: Bool
        var orders: Int?
        var difference: String?
    }

    func run() async throws {
        var files = files
        if let week { files.append(try await SpotCheckRevealCommand.fetch(week: week, collector: collector)) }
        var results: [FileResult] = []
        var verified: [(file: String, reveal: SpotCheckReveal)] = []
        for file in files {
            do {
                guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read the file") }
                let checked = try RevealCheck.check(data, commitment: commitment)
                verified.append((file, checked.reveal))
                results.append(
                    FileResult(file: file, week: checked.reveal.week.description, verified: true, orders: checked.orders))
            } catch {
                results.append(FileResult(file: file, verified: false, difference: "\(error)"))
            }
        }
        // Consecutive weeks must continue one rotation.
        let byWeek = verified.sorted { $0.reveal.week < $1.reveal.week }
        for (a, b) in zip(byWeek, byWeek.dropFirst()) where b.reveal.week == a.reveal.week.next {
            guard b.reveal.roundsBefore != a.reveal.roundsAfter else { continue }
            let k = results.firstIndex { $0.file == b.file }!
            results[k].verified = false
            results[k].difference =
                "rounds_before: does not continue the rounds_after of \(a.reveal.week) in \(a.file) "
                + "(round \(b.reveal.roundsBefore.round) with \(b.reveal.roundsBefore.drawn.count) drawn, "
                + "expected round \(a.reveal.roundsAfter.round) with \(a.reveal.roundsAfter.drawn.count) drawn)"
        }
        let allVerified = results.allSatisfy(\.verified)
        if json {
            struct Output: Encodable {
                var verified: Bool
                var files: [FileResult]
            }
            printJSON(Output(verified: allVerified, files: results))
        } else {
            for r in results {
                if r.verified {
                    print("\(r.file): verified — \(r.week ?? ""), \(r.orders ?? 0) order(s), draw and commitment recomputed")
                } else {
                    printError("\(r.file): \(r.difference ?? "not verified")")
                }
            }
        }
        if !allVerified { throw ExitCode(1) }
    }
}
