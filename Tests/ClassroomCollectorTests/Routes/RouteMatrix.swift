import ClassroomCollector
import ClassroomWire
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging

/// Who may call each operation of the OpenAPI document, keyed "METHOD path" as written there.
enum RouteMatrix {
    /// One operation read from the document.
    struct Operation: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var key: String { "\(method.rawValue) \(path)" }
    }

    /// What a caller must get.
    enum Expectation { case allowed, unauthorized, forbidden }

    /// Who a route is for.
    enum Access {
        /// No bearer check (liveness, enrollment, media hooks with their own secret): every caller gets `expectation`.
        case open(Expectation)
        /// The device credential only.
        case device
        /// Operators of `roles`; `scoped`: the fixture's target belongs to school A (county 鲁甸县), so school
        /// B's admin and the admin of another county get 403.
        case roles(Set<OperatorRole>, scoped: Bool)
    }

    struct Rule {
        var access: Access
        /// A valid JSON (or form) body; placeholders in braces are filled by the fixture.
        var body: String?
        var unknownFieldStatus: ClosedRange<Int> = 400...400
        var form = false

        /// The caller that is allowed, for bad-input requests.
        var caller: RouteMatrixFixture.Caller {
            switch access {
            case .open: .anonymous
            case .device: .device
            case .roles: .bureauAdmin
            }
        }

        func expectation(for caller: RouteMatrixFixture.Caller) -> Expectation {
            switch access {
            case .open(let expectation): return expectation
            case .device: return caller == .device ? .allowed : .unauthorized
            case .roles(let roles, let scoped):
                guard let role = caller.role else { return caller == .device ? .forbidden : .unauthorized }
                guard roles.contains(role) else { return .forbidden }
                return scoped && (caller == .schoolAdminB || caller == .countyAdminOther) ? .forbidden : .allowed
            }
        }
    }

    /// Every role, county_admin included: read routes filtered to the caller's schools.
    static let readers = OperatorRole.readers
    static let managers: Set<OperatorRole> = [.bureauAdmin, .schoolAdmin]
    /// Who may watch lessons and patrol (``OperatorPrincipal/mayWatchLesson(inSchool:)``).
    static let watchers: Set<OperatorRole> = [.bureauAdmin, .observer, .schoolAdmin]
    /// The watchers and county admins: figures about lessons (evaluations, the patrol view log), never video.
    static let lessonFigures = watchers.union([.countyAdmin])
    static let enroll =
        #"{"token": "{enroll_token}", "room_id": "R1", "public_key": "{public_key}", "hostname": "pc", "agent_version": "0.1.0"}"#

    /// Every operation of `collector-v1.yaml`: the test fails when the document and this table differ.
    static let table: [String: Rule] = [
        "GET /healthz": Rule(access: .open(.allowed)),
        "POST /api/v1/agent/enroll": Rule(access: .open(.allowed), body: enroll),
        "POST /api/v1/agent/events": Rule(
            access: .device, body: #"{"sent_at": 1, "events": []}"#, unknownFieldStatus: 200...400),
        "GET /api/v1/agent/commands": Rule(access: .device),
        "POST /api/v1/agent/commands/ack": Rule(access: .device, body: #"{"ids": ["no-such-command"]}"#),
        "GET /api/v1/tokens": Rule(access: .roles(managers, scoped: false)),
        "POST /api/v1/tokens": Rule(
            access: .roles(managers, scoped: true), body: #"{"role": "school_admin", "name": "matrix", "school_id": "S1"}"#),
        "DELETE /api/v1/tokens/{id}": Rule(access: .roles(managers, scoped: true)),
        "POST /api/v1/enrollment-tokens": Rule(
            access: .roles(managers, scoped: true), body: #"{"school_id": "S1", "max_uses": 1, "expires_in_seconds": 600}"#),
        "GET /api/v1/devices": Rule(access: .roles(readers, scoped: false)),
        "GET /api/v1/devices/{id}": Rule(access: .roles(readers, scoped: true)),
        "POST /api/v1/devices/{id}/revoke": Rule(access: .roles(managers, scoped: true)),
        "POST /api/v1/devices/{id}/rotate": Rule(access: .roles(managers, scoped: true)),
        "POST /api/v1/devices/{id}/commands": Rule(access: .roles(managers, scoped: true), body: #"{"kind": "chime"}"#),
        "GET /api/v1/audit": Rule(access: .roles([.bureauAdmin, .auditor, .schoolAdmin, .countyAdmin], scoped: false)),
        "GET /api/v1/registry": Rule(access: .roles(readers, scoped: false)),
        "GET /api/v1/coverage": Rule(access: .roles(Set(OperatorRole.allCases), scoped: false)),
        "PUT /api/v1/registry": Rule(access: .roles([.bureauAdmin], scoped: false), body: #"{"files": {}}"#),
        "POST /api/v1/spotcheck/draws": Rule(
            access: .roles([.bureauAdmin], scoped: false), body: #"{"week": "2026-W48", "count": 1}"#),
        "GET /api/v1/spotcheck/weeks/{week}": Rule(access: .roles(readers, scoped: false)),
        "GET /api/v1/spotcheck/weeks/{week}/reveal": Rule(access: .roles(readers, scoped: false)),
        "POST /api/v1/spotcheck/weeks/{week}/reveal": Rule(access: .roles([.bureauAdmin], scoped: false)),
        "GET /api/v1/spotcheck/weeks/{week}/results": Rule(access: .roles(readers, scoped: false)),
        "POST /api/v1/spotcheck/now": Rule(access: .roles(managers, scoped: true), body: #"{"school_id": "S1"}"#),
        "POST /api/v1/spotcheck/orders/{id}/excuse": Rule(
            access: .roles([.bureauAdmin], scoped: false), body: #"{"reason": "ill"}"#),
        "GET /api/v1/patrol": Rule(access: .roles(watchers, scoped: false)),
        "POST /api/v1/patrol": Rule(
            access: .roles(watchers, scoped: true), body: #"{"room_id": "R1"}"#, unknownFieldStatus: 400...400),
        "GET /api/v1/patrol/views": Rule(access: .roles(lessonFigures, scoped: false)),
        "GET /api/v1/spotcheck/weeks/{week}/notice": Rule(access: .roles(readers, scoped: false)),
        "GET /api/v1/lessons/{id}/evaluations": Rule(access: .roles(lessonFigures, scoped: false)),
        "PUT /api/v1/lessons/{id}/evaluation": Rule(
            access: .roles([.bureauAdmin, .observer, .schoolAdmin], scoped: false),
            body: #"{"scores": {"objectives": 3, "process": 3, "technology": 3, "effect": 3}, "comment": "ok"}"#),
        "GET /api/v1/observation": Rule(
            access: .roles([.bureauAdmin, .bureauViewer, .observer, .schoolAdmin, .countyAdmin], scoped: false)),
        "GET /api/v1/alerts": Rule(access: .roles(readers, scoped: false)),
        "POST /api/v1/media/on_publish": Rule(access: .open(.forbidden), body: "name=key&addr=10.0.0.9", form: true),
        "POST /api/v1/media/on_publish_done": Rule(access: .open(.forbidden), body: "name=key", form: true),
        "POST /api/v1/media/on_record_done": Rule(access: .open(.forbidden), body: "name=key&path=/x.flv", form: true),
    ]

    /// The operations of the served document: each `paths:` entry × each method under it.
    static func operations(_ client: some TestClientProtocol) async throws -> [Operation] {
        let answer = try await client.call(.get, "/api/v1/openapi.yaml")
        guard answer.status == .ok else { throw TestFailure("openapi.yaml: \(answer.status)") }
        var operations: [Operation] = []
        var inPaths = false
        var path: String?
        for line in answer.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") {
                inPaths = line == "paths:"
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path {
                let name = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                guard ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"].contains(name),
                    let method = HTTPRequest.Method(name)
                else { continue }
                operations.append(Operation(method: method, path: path))
            }
        }
        guard !operations.isEmpty else { throw TestFailure("no operations in openapi.yaml") }
        return operations
    }
}

extension CollectorHarness {
    /// The harness's application with a small registry import limit (to reach 413 cheaply).
    func application(registryImportLimit: Int) -> some ApplicationProtocol {
        var logger = Logger(label: "collector-test")
        logger.logLevel = .warning
        let clock = clock
        return CollectorServer.application(
            store: store, notifier: notifier,
            configuration: CollectorConfiguration(
                port: 0, databaseURL: "test", maximumWait: 1, registryImportLimit: registryImportLimit),
            logger: logger, now: { clock.now })
    }
}
