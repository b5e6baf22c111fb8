import ArgumentParser
import ClassroomCollector
import Logging

/// `classroom-collector migrate`: applies pending migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await withStore(database.database) { store in
            try await store.migrate()
            print("database is up to date")
        }
    }
}

/// Opens the store, runs `body` with its pool running, and closes it.
func withStore(_ url: String, _ body: @Sendable @escaping (any CollectorStore) async throws -> Void) async throws {
    var logger = Logger(label: "classroom-collector")
    logger.logLevel = .warning
    let opened = try StoreURL.open(url, logger: logger)
    guard let run = opened.run else {
        try await body(opened.store)
        return
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await run() }
        defer { group.cancelAll() }
        try await body(opened.store)
    }
}
