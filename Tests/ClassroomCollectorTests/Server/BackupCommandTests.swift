import ClassroomTestSupport
import Foundation
import Testing

/// `classroom-collector backup` and `restore` on SQLite: the copy holds what the database held
/// (a console user), a restore brings it back into a fresh path; bad input is refused by name and
/// changes nothing.
@Suite struct BackupCommandTests {
    static func collector(_ arguments: [String], stdin: String? = nil) throws -> TestProcess.Output {
        try TestProcess.run(try TestProcess.product("classroom-collector"), arguments, stdin: stdin.map { Data($0.utf8) })
    }

    @Test func backupAndRestoreKeepTheDatabase() throws {
        let dir = try TestProcess.temporaryDirectory("backup")
        defer { try? FileManager.default.removeItem(at: dir) }
        let live = "sqlite:" + dir.appending(path: "live/collector.sqlite").path
        let created = try Self.collector(
            ["user", "create", "--username", "wang", "--role", "bureau_admin", "--password-file", "-", "--db", live],
            stdin: "backup-test-pass-1\n")
        #expect(created.status == 0, "\(created.stderr)")
        let copy = dir.appending(path: "copy.sqlite").path
        let backup = try Self.collector(["backup", "--db", live, "--to", copy])
        #expect(backup.status == 0 && backup.stdout.contains("backed up"), "\(backup.stderr)")

        // The backup is complete on its own: restored into a new place, the user is there.
        let restored = "sqlite:" + dir.appending(path: "restored/collector.sqlite").path
        let restore = try Self.collector(["restore", "--from", copy, "--db", restored])
        #expect(restore.status == 0 && restore.stdout.contains("restored"), "\(restore.stderr)")
        let users = try Self.collector(["user", "list", "--db", restored])
        #expect(users.status == 0 && users.stdout.contains("wang"), "\(users.stdout) \(users.stderr)")

        // Refused, naming the problem: an existing target, a file that is not a collector database,
        // a PostgreSQL URL, a missing database.
        let again = try Self.collector(["backup", "--db", live, "--to", copy])
        #expect(again.status != 0 && again.stderr.contains("exists already"), "\(again.stderr)")
        let junk = dir.appending(path: "junk.sqlite")
        try Data("not a database at all, just text".utf8).write(to: junk)
        let bad = try Self.collector(["restore", "--from", junk.path, "--db", restored])
        #expect(bad.status != 0 && bad.stderr.contains("junk.sqlite"), "\(bad.stderr)")
        let stillThere = try Self.collector(["user", "list", "--db", restored])
        #expect(stillThere.stdout.contains("wang"), "a refused restore changed nothing")
        let pg = try Self.collector(["backup", "--db", "postgres://u@localhost/db", "--to", dir.appending(path: "pg").path])
        #expect(pg.status != 0 && pg.stderr.contains("pg_dump"), "\(pg.stderr)")
        let missing = try Self.collector([
            "backup", "--db", "sqlite:" + dir.appending(path: "nope.sqlite").path, "--to", copy + "2",
        ])
        #expect(missing.status != 0 && missing.stderr.contains("no such database"), "\(missing.stderr)")
    }
}
