import ArgumentParser
import Foundation

/// `classroomctl patrol list|open|views`: patrol (巡课) through the collector's `/api/v1/patrol`.
struct PatrolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol",
        abstract: "Patrol (巡课): look into a classroom during its timetabled lesson (bureau_admin, observer, school_admin).",
        discussion: """
            The room hears the chime and sees a patrol notice; the stream stops when the last viewer \
            has left or the lesson ends. Every view is audited.
            """,
        subcommands: [PatrolListCommand.self, PatrolOpenCommand.self, PatrolViewsCommand.self])
}

/// `classroomctl patrol list`.
struct PatrolListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Rooms of your scope in a lesson now, and why a room cannot be patrolled.")

    @OptionGroup var collector: CollectorOptions
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let answer = try await collector.client().json("GET", "/api/v1/patrol") as? [String: Any] ?? [:]
        if json { return printJSONObject(answer) }
        let rooms = answer["rooms"] as? [[String: Any]] ?? []
        if rooms.isEmpty { return print("no room of your scope is in a lesson now") }
        for r in rooms {
            var line = "\(r["school_id"] as? String ?? "")  \(r["room_id"] as? String ?? "")"
            line += "  \(r["teacher_name"] as? String ?? "—") \(r["subject"] as? String ?? "")"
            if let reason = r["reason"] as? String {
                line += "  cannot patrol: \(reason)"
            } else if let open = r["open_patrol"] as? String {
                line += "  patrol open: \(open)"
            } else {
                line += "  can patrol"
            }
            print(line)
        }
    }
}

/// `classroomctl patrol open ROOM`.
struct PatrolOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open (or join) a patrol of a room now and print the watch page's path.",
        discussion:
            "Refused with the reason outside the room's lesson, without camera or microphone, offline, or during a spot-check.")

    @OptionGroup var collector: CollectorOptions
    @Argument(help: "The room_id of rooms.csv.") var room: String
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let answer = try await collector.client().json("POST", "/api/v1/patrol", ["room_id": room]) as? [String: Any] ?? [:]
        if json { return printJSONObject(answer) }
        let order = answer["order"] as? [String: Any] ?? [:]
        let verb = answer["joined"] as? Bool == true ? "joined" : "opened"
        print(
            "\(verb) patrol \(order["id"] as? String ?? "") of room \(room): \(order["teacher_name"] as? String ?? "") \(order["subject"] as? String ?? "")"
        )
        print("watch: \(answer["watch_url"] as? String ?? "")")
    }
}

/// `classroomctl patrol views`.
struct PatrolViewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views", abstract: "Patrol views of the last 7 days: who, which room, from when to when (UTC).")

    @OptionGroup var collector: CollectorOptions
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let answer = try await collector.client().json("GET", "/api/v1/patrol/views") as? [String: Any] ?? [:]
        if json { return printJSONObject(answer) }
        let views = answer["views"] as? [[String: Any]] ?? []
        if views.isEmpty { return print("no patrol views in the last 7 days") }
        let format = ISO8601DateFormatter()
        func time(_ value: Any?) -> String {
            guard let ms = value as? Int else { return "—" }
            return format.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
        }
        for v in views {
            print(
                "\(v["viewer_name"] as? String ?? "") (\(v["viewer_role"] as? String ?? ""))  \(v["room_id"] as? String ?? "")  "
                    + "\(time(v["started_at"])) – \(time(v["last_seen_at"]))  \(v["order_id"] as? String ?? "")")
        }
    }
}
