import ClassroomCore
import Synchronization

/// The registry a store keeps in memory between imports, labelled with the registry generation it
/// was read at (``RegistryGenerationSchema``: a counter bumped in the same transaction as every
/// `replaceRegistry`).
///
/// On each `registry()` the store reads the generation (one single-row query) and answers from here
/// while it is unchanged, so an import through this collector or any other one on the same database
/// invalidates it, and a rolled-back import (whose bump rolls back with it) does not. Shared by the
/// copies of a store (a class held by the store struct); safe to use from concurrent requests.
final class RegistryCache: Sendable {
    private struct State {
        var generation: Int64?
        var registry: Registry?
        var loads = 0
    }
    private let state = Mutex(State())

    /// The registry cached at `generation`; nil when none, or one of another generation, is cached.
    func registry(at generation: Int64) -> Registry? {
        state.withLock { $0.generation == generation ? $0.registry : nil }
    }

    /// Keeps `registry`, read from the database in one snapshot with `generation`, and counts the
    /// load; an older read finishing after a newer one (concurrent requests) does not replace it.
    func keep(_ registry: Registry, at generation: Int64) {
        state.withLock { s in
            s.loads += 1
            guard generation >= s.generation ?? .min else { return }
            s.generation = generation
            s.registry = registry
        }
    }

    /// Drops the cached registry: after an import through this store, so the old one is freed
    /// before the next read (which would miss it anyway: the generation moved).
    func invalidate() {
        state.withLock { s in
            s.generation = nil
            s.registry = nil
        }
    }

    /// How many times the store read the whole registry from the database (each ``keep(_:at:)``).
    ///
    /// - Important: for tests and diagnostics: a second `registry()` at the same generation must
    ///   not raise it; an import (here or through another collector) must make the next one raise it.
    var loads: Int { state.withLock { $0.loads } }
}

/// The registry generation's table (migration `v590-registry-generation`): one row, bumped by every
/// `replaceRegistry` in its own transaction. Stores migrated with a registry start at 1, others at 0.
enum RegistryGenerationSchema {
    static let migration = CollectorSchema.Migration(
        name: "v590-registry-generation",
        statements: [
            "CREATE TABLE registry_generation (id {INT} PRIMARY KEY CHECK (id = 1), generation {INT} NOT NULL)",
            """
            INSERT INTO registry_generation (id, generation) SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM schools)
              OR EXISTS (SELECT 1 FROM rooms) OR EXISTS (SELECT 1 FROM calendar_days) THEN 1 ELSE 0 END
            """,
        ])

    static let read = "SELECT generation FROM registry_generation WHERE id = 1"
    static let bump = "UPDATE registry_generation SET generation = generation + 1 WHERE id = 1"
}
