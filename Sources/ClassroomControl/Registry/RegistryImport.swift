import ArgumentParser
import ClassroomCore
import Foundation

/// `classroomctl registry import DIR --collector URL`: uploads a registry folder; all or nothing.
struct RegistryImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a registry folder into the collector, replacing its registry (all or nothing).",
        discussion: """
            The four files are sent as they are (any encoding 'registry check' reads). On problems nothing is \
            imported and every problem is printed as FILE:LINE: field: message (exit status 1). Devices stay bound \
            to rooms that still exist. Needs a bureau_admin token.
            """
    )

    @Argument(help: "The registry folder (schools.csv, rooms.csv, teachers.csv, timetable.csv).")
    var directory: String

    @OptionGroup var collector: CollectorOptions

    @Flag(help: "Print the collector's answer as JSON.")
    var json = false

    func run() async throws {
        let client = try collector.client()
        let files = try RegistryFolder.read(directory)
        let body = try JSONSerialization.data(withJSONObject: ["files": files.mapValues { Data($0).base64EncodedString() }])
        let (status, data) = try await client.call("PUT", "/api/v1/registry", body: body, accept: [422])
        let answer = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        if json { printJSONObject(answer) }
        if status == 422 {
            let problems = answer["problems"] as? [[String: Any]] ?? []
            if !json {
                for p in problems {
                    let file = (directory as NSString).appendingPathComponent(p["file"] as? String ?? "?")
                    printError(
                        "\(file):\(p["line"] as? Int ?? 0): \(p["field"] as? String ?? ""): \(p["message"] as? String ?? "")")
                }
                printError("\(directory): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported")
            }
            throw ExitCode(1)
        }
        guard !json else { return }
        let summary = answer["summary"] as? [String: Any] ?? [:]
        let replaced = answer["replaced"] as? [String: Any] ?? [:]
        print(
            "Imported: \(summary["schools"] as? Int ?? 0) schools, \(replaced["rooms"] as? Int ?? 0) rooms, "
                + "\(summary["teachers"] as? Int ?? 0) teachers, \(summary["lessons_per_week"] as? Int ?? 0) lessons/week"
        )
        if let unbound = replaced["devices_unbound"] as? Int, unbound > 0 {
            print("\(unbound) device\(unbound == 1 ? "" : "s") lost their room (it is no longer in the registry)")
        }
    }
}
