import ArgumentParser

/// `classroomctl registry …`: the county registry (schools, rooms, teachers, timetable) as CSV files.
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Check, generate and import the county registry (a folder of CSV files).",
        discussion: """
            A registry folder holds schools.csv, rooms.csv, teachers.csv and timetable.csv \
            (UTF-8 with or without BOM, or GBK/GB18030 as Excel saves it in a Chinese locale). \
            See docs/registry.md for the columns.
            """,
        subcommands: [RegistryCheck.self, RegistrySample.self, RegistryImport.self]
    )
}
