import ArgumentParser
import ClassroomAgent

/// The classroom agent's command line: `classroomd <subcommand>`.
@main
struct Classroomd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroomd",
        abstract: "ClassroomFleet agent: sees the classroom's hardware and usage and reports them to the bureau.",
        discussion: """
            Nothing recorded ever leaves the machine: usage is figures (display on, touch counts, seconds of \
            speech and levels), never audio or coordinates.
            """,
        version: AgentVersion.current,
        subcommands: [
            RunCommand.self, EnrollCommand.self, StatusCommand.self, InventoryCommand.self, ProbeAudioCommand.self,
            ChimeCommand.self, MonitorCommand.self, ProbeTouchCommand.self, SpotCheckTestCommand.self,
        ]
    )
}
