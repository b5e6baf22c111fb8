import ArgumentParser
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
        var body: [String: Any] = ["week": week, "count": count]
        if let beacon { body["beacon"] = beacon }
        let answer = try await collector.client().json("POST", "/api/v1/spotcheck/draws", body) as? [String: Any] ?? [:]
        if json { return printJSONObject(answer) }
        print("week \(answer["week"] as? String ?? week): \(answer["orders"] as? Int ?? 0) teacher(s) drawn")
        print("commitment \(answer["commitment"] as? String ?? "")")
        if let shortfall = answer["shortfall"] as? Int, shortfall > 0 {
            print("shortfall \(shortfall): only \(answer["eligible_schools"] as? Int ?? 0) school(s) have eligible teachers")
        }
        if answer["new_round_started"] as? Bool == true { print("round \(answer["round"] as? Int ?? 0) started") }
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
        let answer = try await collector.client().json("GET", "/api/v1/spotcheck/weeks/\(week)") as? [String: Any] ?? [:]
        if json { return printJSONObject(answer) }
        guard answer["drawn"] as? Bool == true || !(answer["orders"] as? [Any] ?? []).isEmpty else {
            return print("week \(week) has not been drawn")
        }
        for o in answer["orders"] as? [[String: Any]] ?? [] { print(SpotCheckLines.order(o)) }
        if let hidden = answer["hidden"] as? Int, hidden > 0 { print("\(hidden) more, shown when their lesson starts") }
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
        let (_, data) = try await collector.client().call("POST", "/api/v1/spotcheck/weeks/\(week)/reveal")
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: data) else { throw CLIError("\(out): cannot write") }
            print("reveal of \(week) written to \(out)")
        } else {
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// Fetches a published reveal into a temporary file (for `verify --week`).
    static func fetch(week: String, collector: CollectorOptions) async throws -> String {
        let (_, data) = try await collector.client().call("GET", "/api/v1/spotcheck/weeks/\(week)/reveal")
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
        var body: [String: Any] = [:]
        if let school { body["school_id"] = school }
        let answer = try await collector.client().json("POST", "/api/v1/spotcheck/now", body) as? [String: Any] ?? [:]
        if json { return printJSONObject(answer) }
        print(SpotCheckLines.order(answer))
        print("dispatch: \(answer["dispatch"] as? String ?? "-")")
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
        let path =
            "/api/v1/spotcheck/orders/\(order.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? order)/excuse"
        _ = try await collector.client().json("POST", path, ["reason": reason])
        print("excused \(order)")
    }
}

/// One-line renderings shared by the commands.
enum SpotCheckLines {
    static func order(_ o: [String: Any]) -> String {
        let s = { (key: String) in o[key] as? String ?? "-" }
        return "\(s("id"))  \(s("school_id"))  \(s("room_id"))  \(s("teacher_name")) (\(s("teacher_id")))  "
            + "weekday \(o["weekday"] as? Int ?? 0) \(s("start"))–\(s("end"))  \(s("subject"))"
    }
}
