import ArgumentParser

/// `classroomctl registry …`: the county registry (schools, rooms, teachers, timetable) as CSV files.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Check, generate and import the county registry (CSV folder).",
        subcommands: []
    )
}
