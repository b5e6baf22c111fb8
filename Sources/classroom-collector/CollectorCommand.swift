import ArgumentParser
import CBuildStamp
import ClassroomCollector

/// `classroom-collector`: the bureau's server.
@main
struct CollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classroom-collector",
        abstract: "The ClassroomFleet collector: enrollment, ingest, commands and the registry over HTTP (/api/v1).",
        discussion: """
            The database is --db sqlite:PATH (the default: collector.sqlite in $STATE_DIRECTORY, or the current \
            folder) or --db postgres://user:password@host:port/database.
            Bootstrap: run 'classroom-collector token create --role bureau_admin --name NAME' on the collector host, \
            then use the printed token with classroomctl.
            """,
        version: String(cString: classroomfleet_build_version()),
        subcommands: [
            ServeCommand.self, MigrateCommand.self, TokenCommand.self, UserCommand.self, BackupCommand.self, RestoreCommand.self,
            BenchLoadCommand.self,
        ]
    )
}

/// Options shared by the subcommands.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "sqlite:PATH or postgres://user:password@host:port/database.")
    var database: String = CollectorConfiguration.defaultDatabaseURL()
}
