import ClassroomCore
import Foundation
import Hummingbird

/// `PUT /api/v1/registry` (import, all or nothing) and `GET /api/v1/registry[?county=NAME]` (summary;
/// a county admin's is of its own county, `county=` narrows any role to one county), on the
/// repositories they use alone (``OperatorRepositories``), so that route tests run them in memory.
struct RegistryAPI<Context: RequestContext>: Sendable {
    let store: any OperatorRepositories
    /// Enrolled devices, so that a device credential here is 403 rather than 401 (``Authenticator``);
    /// nil where none can be enrolled.
    let devices: (any DeviceRepository)?
    let now: @Sendable () -> Int64
    /// Largest import body: a province's four CSV files in base64.
    let importLimit: Int

    /// On the whole store, as the collector registers it.
    init(store: any CollectorStore, now: @escaping @Sendable () -> Int64, importLimit: Int) {
        self.init(repositories: store, devices: store, now: now, importLimit: importLimit)
    }

    init(
        repositories: any OperatorRepositories, devices: (any DeviceRepository)?, now: @escaping @Sendable () -> Int64,
        importLimit: Int
    ) {
        self.store = repositories
        self.devices = devices
        self.now = now
        self.importLimit = importLimit
    }

    var auth: Authenticator { Authenticator(tokens: store, devices: devices, now: now) }

    func register(on router: Router<Context>) {
        router.put("api/v1/registry") { request, _ in try await importRegistry(request) }
        router.get("api/v1/registry") { request, _ in try await summary(request) }
    }

    struct ImportAnswer: Encodable {
        var summary: RegistrySummary
        var replaced: RegistryReplaceOutcome
        var warnings: [APIError.ProblemJSON]
        var encodings: [String: String]
    }

    func importRegistry(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: [.bureauAdmin])
        let body = try await JSONBody.decode(
            RegistryImportRequest.self, from: request, limit: importLimit, allowedKeys: RegistryImportRequest.fields)
        var files: [String: [UInt8]] = [:]
        for (name, text) in body.files.sorted(by: { $0.key < $1.key }) {
            let known = RegistryLoader.fileNames + RegistryLoader.optionalFileNames
            guard known.contains(name) else {
                throw APIError.badRequest("field 'files.\(name)': unknown file; expected \(known.joined(separator: ", "))")
            }
            guard let data = Data(base64Encoded: text) else {
                throw APIError.badRequest("field 'files.\(name)' is not valid base64")
            }
            files[name] = [UInt8](data)
        }
        let loaded: LoadedRegistry
        do {
            loaded = try RegistryLoader.load(files)
        } catch {
            var answer = APIError(
                .unprocessableContent, "invalid_registry",
                "\(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"); nothing was imported")
            answer.problems = error.problems.map(Self.json)
            answer.warnings = error.warnings.map(Self.json)
            throw answer
        }
        let t = now()
        let summary = RegistrySummary(loaded.registry)
        let replaced = try await store.replaceRegistry(
            loaded.registry,
            audit: AuditEntry(
                at: t, actor: who.actor, action: "registry.import", target: "registry", schoolID: nil,
                detail: "\(summary.schools) schools, \(summary.teachers) teachers, \(summary.lessonsPerWeek) lessons/week"))
        return try JSONBody.response(
            ImportAnswer(
                summary: summary, replaced: replaced, warnings: loaded.warnings.map(Self.json),
                encodings: loaded.encodings.mapValues(\.rawValue)))
    }

    func summary(_ request: Request) async throws -> Response {
        let who = try await auth.requireOperator(request, roles: OperatorRole.readers)
        let asked = try OperatorPrincipal.countyQuery(request.uri.queryParameters["county"])
        // 403 for another county, 404 naming the counties for an unknown one.
        _ = try await who.listScope(school: nil, county: asked, store: store)
        let registry = try await store.registry()
        let county = try who.countyScope(asked: asked)
        return try JSONBody.response(RegistrySummary(county.map { registry.filtered(county: $0) } ?? registry))
    }

    static func json(_ p: RegistryProblem) -> APIError.ProblemJSON {
        APIError.ProblemJSON(file: p.file, line: p.line, field: p.field, message: p.message)
    }
}
