import ArgumentParser
import ClassroomCore
import CollectorAPI
import Foundation
import OpenAPIRuntime

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
        let body = Operations.PutApiV1Registry.Input.Body.JsonPayload(
            files: .init(additionalProperties: files.mapValues { Base64EncodedData($0) }))
        let answer = try await client.run(accept: [422]) { try await $0.putApiV1Registry(body: .json(body)) }
        if case .unprocessableContent(let refused) = answer {
            let error = try refused.body.json
            if json { printJSON(error) }
            let problems = error.problems ?? []
            if !json {
                for p in problems {
                    let file = (directory as NSString).appendingPathComponent(p.file)
                    printError("\(file):\(p.line): \(p.field): \(p.message)")
                }
                printError("\(directory): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was imported")
            }
            throw ExitCode(1)
        }
        let imported = try answer.ok.body.json
        if json { return printJSON(imported) }
        let summary = imported.summary
        let replaced = imported.replaced
        print(
            "Imported: \(summary.schools) schools, \(replaced.rooms) rooms, "
                + "\(summary.teachers) teachers, \(summary.lessonsPerWeek) lessons/week"
        )
        if replaced.devicesUnbound > 0 {
            let unbound = replaced.devicesUnbound
            print("\(unbound) device\(unbound == 1 ? "" : "s") lost their room (it is no longer in the registry)")
        }
    }
}
