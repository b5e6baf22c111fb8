import ClassroomCore
import ClassroomReports
import ClassroomWire
import Foundation
import Hummingbird

/// `/devices/{id}`: the device, its inventory now and its history, recent events, and revoke and
/// rotate buttons for the roles allowed (POST forms with the session's CSRF token, handled by the
/// same ``DeviceQueries`` functions as `POST /api/v1/devices/{id}/revoke|rotate`).
struct DeviceDetailPage: Sendable {
    let console: ConsoleEnvironment

    static let recentEvents: Int64 = 30

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("devices/:id") { request, context in try await show(request, id: context.parameters.require("id")) }
        router.post("devices/:id/revoke") { request, context in
            try await act(request, id: context.parameters.require("id"), action: "revoke")
        }
        router.post("devices/:id/rotate") { request, context in
            try await act(request, id: context.parameters.require("id"), action: "rotate")
        }
    }

    func show(_ request: Request, id: String, flash: ConsoleFlash? = nil, credential: String? = nil) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: DevicesPage.roles)
        let listing = try await console.page { try await console.devices.listing(viewer.principal, id: id) }
        let device = listing.device
        let t = viewer.text
        var model = DeviceModel(device, console: console, text: t)
        model.mayManage = DeviceQueries.managers.contains(viewer.role) && device.revokedAt == nil
        model.credential = credential
        model.school = listing.schoolName ?? device.schoolID
        model.room = listing.roomName ?? device.roomID ?? "—"
        let decoder = JSONDecoder()
        var history: [DeviceModel.Inventory] = []
        for kind in ["inventory_snapshot", "inventory_change"] {
            for stored in try await console.store.events(deviceID: id, kind: kind, since: 0) {
                guard let event = try? decoder.decode(AgentEvent.self, from: Data(stored.body.utf8)) else { continue }
                switch event.body {
                case .inventorySnapshot(let i): history.append(.init(stored, i, change: nil, console: console, text: t))
                case .inventoryChange(let c):
                    history.append(
                        .init(
                            stored, c.inventory, change: "\(c.action.rawValue) \(c.deviceKind) \(c.deviceID)", console: console,
                            text: t))
                default: continue
                }
            }
        }
        history.sort { $0.seq > $1.seq }
        model.inventoryNow = history.first
        model.history = Array(history.prefix(20))
        let highest = try await console.store.highestEventSeq(deviceID: id)
        model.events = try await console.store.events(
            deviceID: id, afterSeq: max(0, highest - Self.recentEvents), limit: Int(Self.recentEvents)
        )
        .reversed().map { .init(seq: $0.seq, kind: $0.kind, at: console.time($0.at), detail: DeviceModel.summary($0.body)) }
        if ConsoleCSV.wanted(request) {
            var table = CSVTable(header: ["col_seq", "col_kind", "col_time", "col_detail"].map { t.t($0) })
            table.rows = model.events.map { [String($0.seq), $0.kind, $0.at, $0.detail] }
            return ConsoleCSV.response(table, filename: "device-\(id)-events.csv")
        }
        return try await console.renderer.page(
            request, viewer: viewer, title: "\(t.t("nav_devices")) \(device.hostname)", section: .devices,
            bodyTemplate: "device", values: ["page": model], flash: flash)
    }

    func act(_ request: Request, id: String, action: String) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: DevicesPage.roles)
        let form = try await ConsoleForm.read(request)
        try ConsoleAuth.verifyCSRF(form, viewer: viewer)
        guard DeviceQueries.managers.contains(viewer.role) else { throw ConsoleFailure.forbidden }
        let t = viewer.text
        do {
            if action == "revoke" {
                try await console.page { try await console.devices.revoke(viewer.principal, id: id) }
                return try await show(request, id: id, flash: ConsoleFlash(.ok, t.t("device_revoked_done")))
            }
            let rotated = try await console.page { try await console.devices.rotate(viewer.principal, id: id) }
            return try await show(
                request, id: id, flash: ConsoleFlash(.ok, t.t("device_rotated_done")), credential: rotated.credential)
        } catch let error as APIError where error.status == .conflict {
            return try await show(request, id: id, flash: ConsoleFlash(.error, error.body.message))
        }
    }
}

/// What the device page shows.
struct DeviceModel: Sendable {
    struct Inventory: Sendable {
        var seq: Int64
        var at: String
        var change: String?
        var cameras: String
        var microphones: String
        var speakers: String
        var touchscreens: String
        var displays: String
        var network: String

        init(_ e: StoredEvent, _ i: HardwareInventory, change: String?, console: ConsoleEnvironment, text: ConsoleText) {
            seq = e.seq
            at = console.time(e.at)
            self.change = change
            func list(_ names: [String]) -> String { names.isEmpty ? text.t("none") : names.joined(separator: "、") }
            cameras = list(i.cameras.map(\.name))
            microphones = list(i.microphones.map(\.name))
            speakers = list(i.speakers.map(\.name))
            touchscreens = list(i.touchscreens.map(\.name))
            displays = list(i.displays.map { "\($0.connector) (\($0.status.rawValue))" })
            network = list(i.network.map { "\($0.interface) (\($0.kind.rawValue))" })
        }
    }
    struct Event: Sendable {
        var seq: Int64
        var kind: String
        var at: String
        var detail: String
    }

    var id: String
    var hostname: String
    var schoolID: String
    var school = ""
    var room = ""
    var agentVersion: String
    var enrolledAt: String
    var lastSeen: String
    var clockSkew: String
    var state: String
    var stateClass: String
    var revoked: Bool
    var mayManage = false
    /// A freshly rotated credential, shown once.
    var credential: String?
    var inventoryNow: Inventory?
    var history: [Inventory] = []
    var events: [Event] = []

    init(_ d: DeviceRecord, console: ConsoleEnvironment, text: ConsoleText) {
        id = d.id
        hostname = d.hostname
        schoolID = d.schoolID
        agentVersion = d.agentVersion
        enrolledAt = console.time(d.enrolledAt)
        lastSeen = console.time(d.lastSeenAt)
        clockSkew = d.clockSkewMillis.map { String(format: "%.1f s", Double($0) / 1000) } ?? "—"
        revoked = d.revokedAt != nil
        let online = console.devices.online(d)
        state = text.t(revoked ? "device_revoked" : online ? "device_online" : "device_offline")
        stateClass = revoked ? "muted" : online ? "ok" : "bad"
    }

    /// The event body shortened for the table (the JSON as stored, at most 160 characters).
    static func summary(_ body: String) -> String { body.count > 160 ? String(body.prefix(159)) + "…" : body }
}
