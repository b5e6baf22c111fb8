import ArgumentParser

/// `classroomctl spotcheck …`: the weekly random live-lesson spot-check (随机点课直播).
struct SpotCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spotcheck",
        abstract: "The weekly live-lesson spot-check: draw, list, reveal, results on the collector; simulate, verify offline.",
        discussion: """
            Each week the draw calls COUNT teachers (20 by default) from as many different schools, in \
            rounds: nobody is called twice before the round is over. Anyone can re-run a draw from its \
            published reveal: docs/spotcheck-draw.md describes the algorithm byte by byte.
            """,
        subcommands: [
            SpotCheckSimulate.self, SpotCheckVerify.self, SpotCheckDrawCommand.self, SpotCheckListCommand.self,
            SpotCheckRevealCommand.self, SpotCheckNowCommand.self, SpotCheckResultsCommand.self, SpotCheckExcuseCommand.self,
            SpotCheckNoticeCommand.self,
        ]
    )
}
