import ArgumentParser

/// `classroomctl coverage …`: coverage of classroom technology against a plan's targets.
struct CoverageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Coverage of smart blackboards, digital and recording classrooms against a target profile.",
        discussion: """
            Target profiles are TOML files (Deploy/profiles/NAME.toml): national-quality-balance, \
            luxi-2023 … luxi-2025, zhaotong-2023 … zhaotong-2025, or your own.
            """,
        subcommands: [CoverageReportCommand.self]
    )
}
