import ArgumentParser
import CollectorAPI
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
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let answer = try await collector.client().run { try await $0.getApiV1Patrol(query: .init(county: county)).ok.body.json }
        if json { return printJSON(answer) }
        if answer.rooms.isEmpty { return print("no room of your scope is in a lesson now") }
        for r in answer.rooms {
            var line = "\(r.schoolId)  \(r.roomId)"
            line += "  \(r.teacherName ?? "—") \(r.subject ?? "")"
            if let reason = r.reason {
                line += "  cannot patrol: \(reason)"
            } else if let open = r.openPatrol {
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
        let output = try await collector.client().run { try await $0.postApiV1Patrol(body: .json(.init(roomId: room))) }
        let answer: Components.Schemas.PatrolOpened
        switch output {
        case .ok(let joined): answer = try joined.body.json
        default: answer = try output.created.body.json
        }
        if json { return printJSON(answer) }
        let verb = answer.joined ? "joined" : "opened"
        print("\(verb) patrol \(answer.order.id) of room \(room): \(answer.order.teacherName) \(answer.order.subject)")
        print("watch: \(answer.watchUrl)")
    }
}

/// `classroomctl patrol views`.
struct PatrolViewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "views", abstract: "Patrol views of the last 7 days: who, which room, from when to when (UTC).")

    @OptionGroup var collector: CollectorOptions
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let answer = try await collector.client().run {
            try await $0.getApiV1PatrolViews(query: .init(county: county)).ok.body.json
        }
        if json { return printJSON(answer) }
        if answer.views.isEmpty { return print("no patrol views in the last 7 days") }
        let format = ISO8601DateFormatter()
        func time(_ ms: Int) -> String { format.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        for v in answer.views {
            print(
                "\(v.viewerName) (\(v.viewerRole))  \(v.roomId)  \(time(v.startedAt)) – \(time(v.lastSeenAt))  \(v.orderId)")
        }
    }
}
