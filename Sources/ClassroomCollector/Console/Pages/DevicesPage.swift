import ClassroomCore
import ClassroomReports
import Hummingbird

/// `/devices`: the devices the viewer may see, filtered (offline, no camera, no microphone,
/// outdated agent) and paged by the database (keyset on the device id, ``DeviceDirectoryStore``),
/// with a CSV export of every matching device.
struct DevicesPage: Sendable {
    let console: ConsoleEnvironment

    static let pageSize = 50
    static let roles: Set<OperatorRole> = [.bureauAdmin, .bureauViewer, .observer, .schoolAdmin, .countyAdmin]
    static let filterKeys = ["offline", "no_camera", "no_microphone", "outdated"]

    func register(on router: RouterGroup<CollectorRequestContext>) {
        router.get("devices") { request, _ in try await show(request) }
    }

    /// The filter of the request's query (`?offline=1&no_camera=1&…&school=S`).
    static func filter(_ request: Request) -> DeviceQueries.Filter {
        let q = request.uri.queryParameters
        var f = DeviceQueries.Filter(schoolID: q["school"].map(String.init).flatMap { $0.isEmpty ? nil : $0 })
        func on(_ key: String) -> Bool { q[Substring(key)].map { $0 == "1" || $0 == "true" || $0 == "on" } ?? false }
        f.offline = on("offline")
        f.noCamera = on("no_camera")
        f.noMicrophone = on("no_microphone")
        f.outdated = on("outdated")
        return f
    }

    func show(_ request: Request) async throws -> Response {
        let viewer = try await console.auth.requireViewer(request, roles: Self.roles)
        let filter = Self.filter(request)
        if ConsoleCSV.wanted(request) { return try await csv(viewer, filter) }
        let after = request.uri.queryParameters["after"].map(String.init)
        let page = try await console.page {
            try await console.devices.page(viewer.principal, filter, after: after, limit: Self.pageSize + 1)
        }
        var model = DevicesModel(text: viewer.text, filter: filter, total: page.total)
        model.rows = page.devices.prefix(Self.pageSize).map { DevicesModel.Row($0, console: console, text: viewer.text) }
        let keep = QueryString(request, keeping: ["school"] + Self.filterKeys)
        model.csvHref = "/devices" + keep.with("format", "csv").text
        if page.devices.count > Self.pageSize, let last = model.rows.last {
            model.nextHref = "/devices" + keep.with("after", last.id).text
        }
        if after != nil { model.firstHref = "/devices" + keep.text }
        model.school = filter.schoolID ?? ""
        model.mayChooseSchool = viewer.role != .schoolAdmin
        return try await console.renderer.page(
            request, viewer: viewer, title: viewer.text.t("nav_devices"), section: .devices, bodyTemplate: "devices",
            values: ["page": model])
    }

    /// Every matching device, read page by page (5,000 at a time) so that 300,000 devices are never
    /// held as records at once.
    func csv(_ viewer: ConsoleViewer, _ filter: DeviceQueries.Filter) async throws -> Response {
        let t = viewer.text
        var table = CSVTable(header: DevicesModel.csvHeader(t))
        var after: String?
        while true {
            let page = try await console.page {
                try await console.devices.page(viewer.principal, filter, after: after, limit: 5000)
            }
            for d in page.devices {
                table.rows.append(DevicesModel.Row(d, console: console, text: t).csv)
            }
            guard page.devices.count == 5000, let last = page.devices.last else { break }
            after = last.device.id
        }
        return ConsoleCSV.response(table, filename: "devices.csv")
    }
}

/// What the device list shows.
struct DevicesModel: Sendable {
    struct Row: Sendable {
        var id: String
        var hostname: String
        var school: String
        var room: String
        var agentVersion: String
        var lastSeen: String
        var state: String
        var stateClass: String
        var camera: String
        var microphone: String

        var schoolID: String
        /// The id's first 8 characters, to tell apart machines with the same host name.
        var shortID: String

        init(_ l: DeviceListing, console: ConsoleEnvironment, text: ConsoleText) {
            let d = l.device
            id = d.id
            hostname = d.hostname
            schoolID = d.schoolID
            shortID = String(d.id.prefix(8))
            school = l.schoolName ?? d.schoolID
            room = l.roomName ?? d.roomID ?? "—"
            agentVersion = d.agentVersion
            lastSeen = console.time(d.lastSeenAt)
            let online = console.devices.online(d)
            state = text.t(d.revokedAt != nil ? "device_revoked" : online ? "device_online" : "device_offline")
            stateClass = d.revokedAt != nil ? "muted" : online ? "ok" : "bad"
            func count(_ n: Int?) -> String { n.map(String.init) ?? text.t("unknown") }
            camera = count(l.cameras)
            microphone = count(l.microphones)
        }

        var csv: [String] { [id, hostname, school, room, agentVersion, lastSeen, state, camera, microphone] }
    }

    var total: Int
    var offline: Bool
    var noCamera: Bool
    var noMicrophone: Bool
    var outdated: Bool
    var rows: [Row] = []
    var csvHref = ""
    var nextHref: String?
    var firstHref: String?
    /// The school filter (a school id; county-wide roles only).
    var school = ""
    var mayChooseSchool = false
    var summary: String

    init(text: ConsoleText, filter: DeviceQueries.Filter, total: Int) {
        self.total = total
        offline = filter.offline
        noCamera = filter.noCamera
        noMicrophone = filter.noMicrophone
        outdated = filter.outdated
        summary = text.t("devices_total", String(total))
    }

    static func csvHeader(_ t: ConsoleText) -> [String] {
        [
            "col_device_id", "col_hostname", "col_school", "col_room", "col_agent_version", "col_last_seen", "col_state",
            "col_cameras", "col_microphones",
        ].map { t.t($0) }
    }
}
