import ArgumentParser
import ClassroomCollector

/// `classroom-collector backup`: an online copy of the SQLite database.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the SQLite database to a new file, while the collector runs.",
        discussion: """
            SQLite's online backup: the copy is consistent even while the collector writes. Run it as the \
            collector's user, e.g. `runuser -u classroom-collector -- classroom-collector backup --to \
            /var/backups/classroomfleet/$(date +%F).sqlite`. PostgreSQL: use pg_dump -Fc (Deploy/guides).
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The new file to write (refused if it exists).") var to: String

    func run() throws {
        let source = try SQLiteBackup.path(of: database.database)
        let migrations = try SQLiteBackup.backup(from: source, to: to)
        print("backed up \(source) to \(to) (schema: \(migrations) migrations)")
    }
}

/// `classroom-collector restore`: the database replaced by a backup.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace the SQLite database with a backup (stop the collector first).",
        discussion: """
            Checks that FILE is a collector database, then copies it over --db. Stop the collector first \
            (systemctl stop classroom-collector) and start it after: it applies any newer migrations at start.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The backup to restore.") var from: String

    func run() throws {
        let target = try SQLiteBackup.path(of: database.database)
        let migrations = try SQLiteBackup.restore(from: from, to: target)
        print("restored \(target) from \(from) (schema: \(migrations) migrations)")
    }
}
