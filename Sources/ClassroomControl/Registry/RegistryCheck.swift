import ArgumentParser
import ClassroomCore
import Foundation

/// `classroomctl registry check DIR`: validates a registry folder offline.
struct RegistryCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a registry folder and print a summary, or every problem as FILE:LINE: field: message.",
        discussion: "Exit status: 0 when the registry is valid, 1 when it has problems or cannot be read."
    )

    @Argument(help: "The registry folder (schools.csv, rooms.csv, teachers.csv, timetable.csv, optional calendar.csv).")
    var directory: String

    @Flag(help: "Print the result as JSON: {\"valid\", \"summary\"|\"problems\", \"warnings\", \"encodings\"}.")
    var json = false

    func run() throws {
        let loaded: LoadedRegistry
        do {
            loaded = try RegistryFolder.load(directory)
        } catch let error as RegistryProblems {
            if json {
                printJSON(
                    CheckOutput(valid: false, summary: nil, problems: error.problems, warnings: error.warnings, encodings: nil))
            } else {
                for p in error.problems { printError("\(p)") }
                for w in error.warnings { printError("warning: \(w)") }
                printError(
                    "\(directory): \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"); nothing was accepted")
            }
            throw ExitCode(1)
        }
        let summary = RegistrySummary(loaded.registry)
        if json {
            printJSON(
                CheckOutput(
                    valid: true, summary: summary, problems: [], warnings: loaded.warnings,
                    encodings: loaded.encodings.mapValues(\.rawValue)))
            return
        }
        for w in loaded.warnings { printError("warning: \(w)") }
        print(Self.render(summary, county: loaded.registry.schools.first?.county ?? "", encodings: loaded.encodings))
    }

    struct CheckOutput: Encodable {
        var valid: Bool
        var summary: RegistrySummary?
        var problems: [RegistryProblem]
        var warnings: [RegistryProblem]
        var encodings: [String: String]?
    }

    static func render(_ s: RegistrySummary, county: String, encodings: [String: TextEncoding]) -> String {
        var lines = ["Registry OK\(county.isEmpty ? "" : " — \(county)")"]
        lines.append("  schools          \(s.schools) (\(s.teachingPoints) teaching points under 50 students)")
        if s.counties.count > 1 {
            // A prefecture: coverage and its balance are computed per county.
            lines.append(
                "  counties         \(s.counties.count): "
                    + s.counties.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        lines.append("  stage            schools  classes  students")
        for stage in Stage.allCases {
            let f = s.stages[stage.rawValue]!
            lines.append(
                "  " + pad(stage.rawValue, 16) + " " + lpad(f.schools, 7) + "  " + lpad(f.classes, 7) + "  " + lpad(f.students, 8)
            )
        }
        lines.append(
            "  rooms            "
                + RoomKind.allCases.map { "\($0.rawValue) \(s.rooms[$0.rawValue] ?? 0)" }.joined(separator: ", "))
        lines.append(
            "  teachers         \(s.teachers)"
                + (s.teachersWithoutLessons > 0 ? " (\(s.teachersWithoutLessons) without lessons)" : ""))
        lines.append("  lessons/week     \(s.lessonsPerWeek)")
        if let c = s.calendar {
            let terms = c.terms.map { "\($0.first) … \($0.last)" }.joined(separator: ", ")
            lines.append(
                "  calendar         \(c.terms.count) term\(c.terms.count == 1 ? "" : "s") (\(terms)), \(c.schoolDays) school days, "
                    + "\(c.holidays) holidays, \(c.workdays) make-up workdays")
        } else {
            lines.append("  calendar         none (calendar.csv absent: every timetabled day is a school day)")
        }
        let enc = Set(encodings.values.map(\.rawValue)).sorted().joined(separator: ", ")
        if !enc.isEmpty { lines.append("  encoding         \(enc)") }
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
    static func lpad(_ v: Int, _ n: Int) -> String {
        let s = String(v)
        return String(repeating: " ", count: max(0, n - s.count)) + s
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    print(String(decoding: data, as: UTF8.self))
}
