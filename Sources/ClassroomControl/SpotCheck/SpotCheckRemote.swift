import ArgumentParser
import CollectorAPI
import Foundation

/// `classroomctl spotcheck draw --week W [--count 20] [--beacon TEXT]` (bureau_admin).
struct SpotCheckDrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Run a week's draw on the collector and print its commitment (not the names).",
        discussion: """
            Eligible: teachers with a lesson in a room whose machine reported a camera and a microphone \
            and was heard from in the last 24 hours. The rotation continues from the previous week's \
            draw. The names stay secret until each lesson starts ('spotcheck list'); the whole draw is \
            published after the week ('spotcheck reveal'). Name the beacon in advance.
            """)

    @OptionGroup var collector: CollectorOptions
    @Option(help: "The ISO week, such as 2026-W48.") var week: String
    @Option(help: "Teachers (from as many schools) to call.") var count = 20
    @Option(help: "The public beacon named in advance (such as the lottery numbers of the day).") var beacon: String?
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let body = Operations.PostApiV1SpotcheckDraws.Input.Body.JsonPayload(week: week, count: count, beacon: beacon)
        let draw = try await collector.client().run { try await $0.postApiV1SpotcheckDraws(body: .json(body)).created.body.json }
        if json { return printJSON(draw) }
        print("week \(draw.week): \(draw.orders) teacher(s) drawn")
        print("commitment \(draw.commitment)")
        if draw.shortfall > 0 {
            print("shortfall \(draw.shortfall): only \(draw.eligibleSchools) school(s) have eligible teachers")
        }
        if draw.newRoundStarted { print("round \(draw.round) started") }
    }
}

/// `classroomctl spotcheck list --week W`.
struct SpotCheckListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The week's called lessons that have started (all of them once revealed).")

    @OptionGroup var collector: CollectorOptions
    @Option(help: "The ISO week, such as 2026-W48.") var week: String
    @Flag(help: "Print the collector's answer as JSON.") var json = false

    func run() async throws {
        let answer = try await collector.client().run {
            try await $0.getApiV1SpotcheckWeeksWeek(path: .init(week: week)).ok.body.json
        }
        if json { return printJSON(answer) }
        guard answer.drawn || !answer.orders.isEmpty else { return print("week \(week) has not been drawn") }
        for o in answer.orders { print(SpotCheckLines.order(o)) }
        if let hidden = answer.hidden, hidden > 0 { print("\(hidden) more, shown when their lesson starts") }
    }
}

/// `classroomctl spotcheck reveal --week W` (bureau_admin, after the week).
struct SpotCheckRevealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal",
        abstract: "Publish a finished week's draw and print the reveal document (JSON).",
        discussion: "Save it and anyone can check it offline: classroomctl spotcheck verify --file REVEAL.json")

    @OptionGroup var collector: CollectorOptions
    @Option(help: "The ISO week, such as 2026-W48.") var week: String
    @Option(help: "Write the reveal to this file instead of standard output.") var out: String?

    func run() async throws {
        let reveal = try await collector.client().run {
            try await $0.postApiV1SpotcheckWeeksWeekReveal(path: .init(week: week)).ok.body.json
        }
        let data = try jsonBytes(reveal)
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: data) else { throw CLIError("\(out): cannot write") }
            print("reveal of \(week) written to \(out)")
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Fetches a published reveal into a temporary file (for `verify --week`).
    static func fetch(week: String, collector: CollectorOptions) async throws -> String {
        let reveal = try await collector.client().run {
            try await $0.getApiV1SpotcheckWeeksWeekReveal(path: .init(week: week)).ok.body.json
        }
        let data = try jsonBytes(reveal)
        let path = FileManager.default.temporaryDirectory.appending(path: "classroomfleet-reveal-\(week)-\(UUID()).json").path
        guard FileManager.default.createFile(atPath: path, contents: data) else { throw CLIError("\(path): cannot write") }
        return path
    }
}

/// `classroomctl spotcheck now [--school S]`.
struct SpotCheckNowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "now", abstract: "Call a random lesson in progress right now and send the order to its room at once.")

    @OptionGroup var collector: CollectorOptions
    @Option(help: "Only a lesson of this school (a school admin always gets its own).") var school: String?
    @Flag(help: "Print the order as JSON.") var json = false

    func run() async throws {
        let body = Operations.PostApiV1SpotcheckNow.Input.Body.JsonPayload(schoolId: school)
        let order = try await collector.client().run { try await $0.postApiV1SpotcheckNow(body: .json(body)).created.body.json }
        if json { return printJSON(order) }
        print(SpotCheckLines.order(order))
        print("dispatch: \(order.dispatch ?? "-")")
    }
}

/// `classroomctl spotcheck excuse ORDER --reason TEXT` (bureau_admin, audited).
struct SpotCheckExcuseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "excuse", abstract: "Excuse a called lesson (school trip, power cut …); the reason is audited.")

    @OptionGroup var collector: CollectorOptions
    @Argument(help: "The order id, such as 2026-W48-03.") var order: String
    @Option(help: "Why the lesson is excused.") var reason: String

    func run() async throws {
        _ = try await collector.client().run {
            try await $0.postApiV1SpotcheckOrdersIdExcuse(path: .init(id: order), body: .json(.init(reason: reason))).ok
        }
        print("excused \(order)")
    }
}

/// One-line renderings shared by the commands.
enum SpotCheckLines {
    static func order(_ o: Components.Schemas.SpotCheckOrder) -> String {
        "\(o.id)  \(o.schoolId)  \(o.roomId)  \(o.teacherName) (\(o.teacherId))  "
            + "weekday \(o.weekday) \(o.start)–\(o.end)  \(o.subject)"
    }
}
