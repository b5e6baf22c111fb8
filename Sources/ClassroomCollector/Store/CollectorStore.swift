import ClassroomCore

/// The collector's database, as its repositories: one small protocol per concern, each implemented by
/// ``CollectorSQLiteStore`` (embedded, the default) and ``CollectorPostgresStore`` (production) in a
/// file of its own beside the protocol, and checked by conformance suites on both. Those marked "memory"
/// are also implemented by ``InMemoryRepositories``; `RepositoryConformanceTests` runs them on all three.
///
/// | concern | protocol | where | memory |
/// |---|---|---|---|
/// | operator tokens | ``OperatorTokenRepository`` | `Store/Repositories/OperatorTokens/` | yes |
/// | enrollment, devices | ``DeviceRepository`` | `Store/Repositories/Devices/` | |
/// | events, ingest | ``EventLogRepository`` | `Store/Repositories/EventLog/` | |
/// | coverage read models | ``CoverageReadModelRepository`` | `Store/CoverageReadModel.swift`, `Store/*+ReadModels.swift` | |
/// | command queue | ``CommandQueueRepository`` | `Store/Repositories/Commands/` | yes |
/// | registry | ``RegistryRepository`` | `Store/Repositories/Registry/` | yes |
/// | audit log | ``AuditRepository`` | `Store/Repositories/Audit/` | yes |
/// | spot-check, console, device directory, lesson views, recordings, patrol, evaluations, alerts, retention | ``SpotCheckStore`` … ``EventRetentionStore`` | each feature's `Store/` folder | |
///
/// A part that needs some concerns takes those protocols, so a test can give it ``InMemoryRepositories``:
/// ``CommandDispatcher`` takes a ``CommandQueueRepository``; the operator-token and audit routes
/// (``OperatorTokenAPI``), the registry routes (``RegistryAPI``) and their bearer check (``Authenticator``)
/// take ``OperatorRepositories`` (tokens, registry, audit) and, optionally, a ``DeviceRepository``. The
/// other routes still take the whole store; the collector hands every part the same one.
///
/// - Important: every method is one transaction; a thrown error means nothing was written.
///   Times are milliseconds since 1970 on the collector's clock, passed in by the caller.
public protocol CollectorStore: OperatorTokenRepository, DeviceRepository, EventLogRepository, CoverageReadModelRepository,
    CommandQueueRepository, RegistryRepository, AuditRepository, SpotCheckStore, ConsoleStore, DeviceDirectoryStore,
    LessonViewStore, RecordingStore, PatrolStore, EvaluationStore, AlertStore, EventRetentionStore
{
    /// Applies pending migrations (idempotent).
    func migrate() async throws
}

/// A store failure: an opaque code and a human message (mapped to HTTP only in the route layer).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
