import ArgumentParser
import CBuildStamp

/// The `classroomctl` command tree: the CLI for bureau and school staff.
///
/// The executable only calls `Classroomctl.main()`; tests parse and run the same commands.
public struct Classroomctl: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "classroomctl",
        abstract: "ClassroomFleet command line for county education bureaus and school IT staff.",
        discussion: """
            Registry commands work offline on a folder of CSV files; the others talk to a \
            classroom-collector (--collector URL, token from --token or CLASSROOM_TOKEN).
            """,
        version: String(cString: classroomfleet_build_version()),
        subcommands: [
            RegistryCommand.self, SpotCheckCommand.self, CoverageCommand.self, TokenCommand.self, EnrollTokenCommand.self,
            DevicesCommand.self, PatrolCommand.self, ObservationCommand.self, AlertsCommand.self,
        ]
    )

    public init() {}
}
