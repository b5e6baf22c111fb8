import ArgumentParser
import CollectorAPI
import Foundation

/// `classroomctl token …`: operator tokens on the collector.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke operator tokens on the collector.",
        subcommands: [TokenCreate.self, TokenList.self, TokenRevoke.self])
}

/// `classroomctl token create --role R [--school S | --county C] --name N`.
struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an operator token and print it once.",
        discussion: """
            Roles: bureau_admin, bureau_viewer, school_admin (with --school), auditor, observer (教研员: watches and evaluates lessons), \
            county_admin (with --county: reads one county of a prefecture, writes nothing). No role can create a token \
            above itself; a school admin only school admins of its own school.
            """)

    @OptionGroup var collector: CollectorOptions
    @Option(help: "bureau_admin, bureau_viewer, school_admin, auditor, observer or county_admin.") var role: String
    @Option(help: "The school of a school_admin token.") var school: String?
    @Option(help: "The county of a county_admin token (the schools.csv county value).") var county: String?
    @Option(help: "Who holds the token (for the audit log).") var name: String
    @Option(help: "Lifetime: a number with s, m, h or d, such as 90d (default: the token never expires).")
    var expiresIn: String?
    @Flag(help: "Print the whole answer as JSON.") var json = false

    func validate() throws {
        if Components.Schemas.Role(rawValue: role) == nil {
            let roles = Components.Schemas.Role.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--role must be one of \(roles)")
        }
        if let expiresIn, EnrollTokenCreate.seconds(expiresIn) == nil {
            throw ValidationError("--expires-in must look like 90d, 12h, 45m or 600s")
        }
    }

    func run() async throws {
        guard let role = Components.Schemas.Role(rawValue: role) else { throw ValidationError("--role \(self.role)") }
        let body = Operations.PostApiV1Tokens.Input.Body.JsonPayload(
            role: role, name: name, schoolId: school, county: county,
            expiresIn: expiresIn.flatMap(EnrollTokenCreate.seconds).map { Int($0) })
        let token = try await collector.client().run { try await $0.postApiV1Tokens(body: .json(body)).created.body.json }
        if json { printJSON(token) } else { print(token.token ?? "") }
    }
}

/// `classroomctl token list`.
struct TokenList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List operator tokens (never secrets).")
    @OptionGroup var collector: CollectorOptions
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let tokens = try await collector.client().run { try await $0.getApiV1Tokens().ok.body.json.tokens }
        if json { return printJSON(tokens) }
        for t in tokens {
            let revoked = t.revokedAt == nil ? "" : "  revoked"
            print("\(t.id)  \(t.role.rawValue)  \(t.schoolId ?? "-")  \(t.name)\(revoked)")
        }
    }
}

/// `classroomctl token revoke ID`.
struct TokenRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an operator token by id.")
    @OptionGroup var collector: CollectorOptions
    @Argument(help: "The token id (from 'token list').") var id: String

    func run() async throws {
        _ = try await collector.client().run { try await $0.deleteApiV1TokensId(path: .init(id: id)).noContent }
        print("revoked \(id)")
    }
}

/// `classroomctl enroll-token create --school S --uses N --expires 30d`.
struct EnrollTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll-token", abstract: "Enrollment tokens for a school's classroom machines.",
        subcommands: [EnrollTokenCreate.self])
}

/// Creates a school-scoped enrollment token.
struct EnrollTokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an enrollment token for one school and print it once.")
    @OptionGroup var collector: CollectorOptions
    @Option(help: "The school (school_id).") var school: String
    @Option(help: "How many machines may enroll with it.") var uses: Int = 1
    @Option(help: "Lifetime: a number with s, m, h or d, such as 30d or 12h.") var expires: String = "7d"
    @Flag(help: "Print the whole answer as JSON.") var json = false

    /// Seconds of a lifetime such as `30d`; nil when malformed or too large to count in 64 bits.
    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        let factor: Int64
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3600
        case "d": factor = 86_400
        default: return nil
        }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : seconds
    }

    func validate() throws {
        guard Self.seconds(expires) != nil else { throw ValidationError("--expires must look like 30d, 12h, 45m or 600s") }
    }

    func run() async throws {
        guard let seconds = Self.seconds(expires) else { throw ValidationError("--expires \(expires)") }
        let body = Operations.PostApiV1EnrollmentTokens.Input.Body.JsonPayload(
            schoolId: school, maxUses: uses, expiresInSeconds: Int(seconds))
        let answer = try await collector.client().run {
            try await $0.postApiV1EnrollmentTokens(body: .json(body)).created.body.json
        }
        if json { printJSON(answer) } else { print(answer.token) }
    }
}

/// `classroomctl devices list [--school S] [--county NAME] [--offline] [--json]`.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices", abstract: "Enrolled classroom machines.", subcommands: [DevicesList.self])
}

/// Lists devices, optionally one school's or only those offline.
struct DevicesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List enrolled devices.")
    @OptionGroup var collector: CollectorOptions
    @Option(help: "Only this school's devices.") var school: String?
    @Option(help: "Only the schools of this county of a prefecture (the schools.csv county value).") var county: String?
    @Flag(help: "Only devices not heard from recently.") var offline = false
    @Flag(help: "Only devices whose agent is older than the newest version any device of the county reports.")
    var outdated = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let query = Operations.GetApiV1Devices.Input.Query(
            schoolId: school, offline: offline ? ._true : nil, outdated: outdated ? ._true : nil, county: county)
        let devices = try await collector.client().run { try await $0.getApiV1Devices(query: query).ok.body.json.devices }
        if json { return printJSON(devices) }
        for d in devices {
            let state = d.revoked ? "revoked" : (d.online ? "online" : "offline")
            print("\(d.id)  \(d.schoolId)  \(d.roomId ?? "-")  \(d.hostname)  \(state)  \(d.agentVersion)")
        }
        if devices.isEmpty { print("no devices") }
    }
}
