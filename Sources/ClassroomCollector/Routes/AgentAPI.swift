import ClassroomWire
import Foundation
import Hummingbird
import Logging

/// The agent-facing routes: enroll, events, long-polled commands and their acknowledgement.
struct AgentAPI<Context: RequestContext>: Sendable {
    let store: any CollectorStore
    let notifier: CommandNotifier
    let now: @Sendable () -> Int64
    /// Longest long-poll a device may ask for.
    let maximumWait: Int
    let metrics: CollectorMetrics
    /// Per-device request rate, long-poll slots and upload quota.
    let fairShare: DeviceFairShare

    var auth: Authenticator { Authenticator(store: store, now: now) }

    /// The device of the request, within its request rate (429 otherwise).
    func admittedDevice(_ request: Request) async throws -> DeviceRecord {
        let device = try await auth.requireDevice(request)
        try fairShare.admit(deviceID: device.id, now: now())
        return device
    }

    func register(on router: Router<Context>) {
        router.post(RouterPath(AgentRoutes.enroll)) { request, _ in try await enroll(request) }
        router.post(RouterPath(AgentRoutes.events)) { request, _ in try await events(request) }
        router.get(RouterPath(AgentRoutes.commands)) { request, _ in try await commands(request) }
        router.post(RouterPath(AgentRoutes.commandsAck)) { request, _ in try await acknowledge(request) }
    }

    static var enrollFields: Set<String> { ["token", "room_id", "public_key", "hostname", "agent_version"] }

    func enroll(_ request: Request) async throws -> Response {
        let body = try await JSONBody.decode(EnrollRequest.self, from: request, limit: 16 * 1024, allowedKeys: Self.enrollFields)
        guard body.token.hasPrefix(SecretPrefix.enrollmentToken) else {
            throw APIError.unauthorized("field 'token' is not an enrollment token (\(SecretPrefix.enrollmentToken)…)")
        }
        guard let key = Data(base64Encoded: body.publicKey), key.count == 32 else {
            throw APIError.badRequest("field 'public_key' must be a raw 32-byte Ed25519 key in base64")
        }
        try Validate.text(body.roomID, field: "room_id", max: 64)
        try Validate.text(body.hostname, field: "hostname", max: 255)
        try Validate.text(body.agentVersion, field: "agent_version", max: 64)
        let credential = Secrets.make(prefix: SecretPrefix.deviceCredential)
        let t = now()
        let candidate = DeviceRecord(
            id: Secrets.newID(), schoolID: "", roomID: body.roomID, hostname: body.hostname, agentVersion: body.agentVersion,
            publicKey: body.publicKey, credentialHash: Secrets.hash(credential), enrolledAt: t, lastSeenAt: t)
        switch try await store.enroll(tokenHash: Secrets.hash(body.token), roomID: body.roomID, device: candidate, now: t) {
        case .enrolled(let d):
            metrics.countEnrollment()
            let answer = EnrollResponse(
                deviceID: d.id, credential: credential, schoolID: d.schoolID, roomID: body.roomID, serverTime: t)
            return try JSONBody.response(answer, status: .created)
        case .unknownToken: throw APIError.unauthorized("unknown enrollment token")
        case .expired: throw APIError(.forbidden, "token_expired", "the enrollment token has expired")
        case .exhausted: throw APIError(.forbidden, "token_exhausted", "the enrollment token has no uses left")
        case .unknownRoom: throw APIError.badRequest("field 'room_id': no room '\(body.roomID)' in the registry")
        case .roomOfOtherSchool:
            throw APIError.forbidden("field 'room_id': room '\(body.roomID)' belongs to another school than the token")
        }
    }

    func events(_ request: Request) async throws -> Response {
        let device = try await admittedDevice(request)
        var request = request
        let data = Data(buffer: try await request.collectBody(upTo: JSONBody.defaultLimit))
        let size = data.count
        // The usual batch in one pass; anything else (and every error message) through `JSONDecoder`.
        let read = data.withUnsafeBytes { EventBatchReader.read($0) }
        let batch = try read?.batch ?? JSONBody.decode(EventBatch.self, from: data, what: "\(request.method) \(request.uri.path)")
        guard batch.events.count <= EventBatch.maximumEvents else {
            throw APIError(
                .contentTooLarge, "payload_too_large",
                "field 'events': \(batch.events.count) events; a batch holds at most \(EventBatch.maximumEvents)")
        }
        var previous: Int64 = 0
        for (i, e) in batch.events.enumerated() {
            guard e.seq > previous else {
                throw APIError.badRequest("field 'events[\(i)].seq': must be positive and increase within the batch")
            }
            previous = e.seq
        }
        let t = now()
        // Range-checked before the arithmetic below: an out-of-range time is a 400, never a trap.
        try EventBatchChecks.check(batch, now: t)
        let skew = try InputBounds.difference(t, batch.sentAt, field: "sent_at")
        try fairShare.chargeUpload(deviceID: device.id, bytes: size, now: t)
        let bodies = try read?.bodies ?? Self.eventBodies(batch, in: data)
        let stored = try batch.events.enumerated().map { i, e in
            StoredEvent(
                deviceID: device.id, seq: e.seq, kind: e.body.kind, agentAt: e.at,
                at: try InputBounds.sum(e.at, skew, field: "events[\(i)].at"), receivedAt: t, body: bodies[i])
        }
        let result = try await store.ingest(stored, deviceID: device.id, at: t, clockSkewMillis: skew)
        // An upgraded agent's first heartbeat carries its new version (the device list, outdated agents).
        let reported = batch.events.reversed().lazy.compactMap { event -> String? in
            if case .heartbeat(let beat) = event.body { return beat.agentVersion }
            return nil
        }.first
        if let reported, reported != device.agentVersion {
            try await store.setAgentVersion(deviceID: device.id, version: reported)
        }
        let outcome = result.appended
        metrics.countEvents(accepted: outcome.inserted, duplicates: outcome.duplicates)
        let through = max(previous, result.highestSeq)
        let ack = EventAck(
            acknowledgedThrough: through, accepted: outcome.inserted, duplicates: outcome.duplicates, clockSkewMillis: skew,
            serverTime: t)
        return try JSONBody.response(ack)
    }

    /// The JSON of each event of `batch` as the agent sent it (`data` is the body `batch` was decoded
    /// from), or its re-encoding where ``EventBytes`` finds the bytes ambiguous.
    static func eventBodies(_ batch: EventBatch, in data: Data) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try data.withUnsafeBytes { bytes in
            let found = EventBytes.ranges(in: bytes)
            let ranges = found?.count == batch.events.count ? found : nil
            return try batch.events.enumerated().map { i, e in
                if let range = ranges?[i] {
                    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                }
                return String(decoding: try encoder.encode(e), as: UTF8.self)
            }
        }
    }

    func commands(_ request: Request) async throws -> Response {
        let device = try await admittedDevice(request)
        var wait = 0
        if let text = request.uri.queryParameters["wait"] {
            guard let value = Int(text), value >= 0 else {
                throw APIError.badRequest("query 'wait' must be a whole number of seconds ≥ 0")
            }
            wait = min(value, maximumWait)
        }
        try await store.markSeen(deviceID: device.id, at: now(), clockSkewMillis: nil)
        var pending = try await store.pendingCommands(deviceID: device.id)
        if pending.isEmpty && wait > 0 {
            let waiter = notifier.register(deviceID: device.id, limit: fairShare.limits.longPollsPerDevice)
            // Re-read after registering: a command queued in between has already notified us.
            pending = try await store.pendingCommands(deviceID: device.id)
            if pending.isEmpty {
                // Displaced by newer polls of the same credential: answered at once, empty.
                guard await waiter.wait(timeout: .seconds(wait)) != .displaced else {
                    return try JSONBody.response(CommandList(commands: []))
                }
                pending = try await store.pendingCommands(deviceID: device.id)
            } else {
                waiter.cancel()
            }
        }
        let decoder = JSONDecoder()
        let list = CommandList(commands: try pending.map { try decoder.decode(AgentCommand.self, from: Data($0.body.utf8)) })
        return try JSONBody.response(list)
    }

    func acknowledge(_ request: Request) async throws -> Response {
        let device = try await admittedDevice(request)
        let body = try await JSONBody.decode(CommandAckRequest.self, from: request, limit: 256 * 1024, allowedKeys: ["ids"])
        guard body.ids.count <= 1000 else { throw APIError.badRequest("field 'ids': at most 1000 ids") }
        let count = try await store.acknowledgeCommands(deviceID: device.id, ids: body.ids, at: now())
        return try JSONBody.response(["acknowledged": count])
    }
}

/// Checks on free-text fields of requests.
enum Validate {
    static func text(_ value: String, field: @autoclosure () -> String, max: Int) throws {
        if try asciiText(value, field: field(), max: max) { return }
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError.badRequest("field '\(field())' must not be empty")
        }
        guard value.count <= max else { throw APIError.badRequest("field '\(field())' is longer than \(max) characters") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw APIError.badRequest("field '\(field())' contains control characters")
        }
    }

    /// ``text(_:field:max:)`` of an ASCII value without Foundation's trimming and Unicode properties
    /// (a tenth of ingest went there); false, having checked nothing, when `value` is not ASCII.
    /// In ASCII the white space `trimmingCharacters(in: .whitespaces)` removes is space and tab, a
    /// character is a byte, and the control characters are 0x00–0x1F and 0x7F.
    static func asciiText(_ value: String, field: @autoclosure () -> String, max: Int) throws -> Bool {
        var blank = true
        var control = false
        var count = 0
        for b in value.utf8 {
            guard b < 0x80 else { return false }
            if b != 0x20 && b != 0x09 { blank = false }
            if b < 0x20 || b == 0x7F { control = true }
            count += 1
        }
        // "\r\n" is one Character: leave it to the general path.
        if control && value.utf8.contains(0x0D) { return false }
        guard !blank else { throw APIError.badRequest("field '\(field())' must not be empty") }
        guard count <= max else { throw APIError.badRequest("field '\(field())' is longer than \(max) characters") }
        guard !control else { throw APIError.badRequest("field '\(field())' contains control characters") }
        return true
    }
}
