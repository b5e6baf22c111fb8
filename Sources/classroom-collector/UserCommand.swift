import ArgumentParser
import ClassroomCollector
import Foundation

/// `classroom-collector user create|passwd|disable|list`: console accounts, on the collector host.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage web console accounts (username and password) directly in the database.",
        discussion: """
            Passwords are read from --password-file (a file, or - for standard input), else asked twice at the \
            terminal, else read as one line from standard input; never from the command line. Audit-logged as cli:$USER.
            """,
        subcommands: [UserCreate.self, UserPasswd.self, UserDisable.self, UserList.self])
}

/// Where a password comes from.
struct PasswordOptions: ParsableArguments {
    @Option(help: "Read the password from this file's first line ('-': standard input).")
    var passwordFile: String?

    func read() throws -> String {
        if let passwordFile {
            let data =
                passwordFile == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: passwordFile)
            guard let data else { throw ValidationError("--password-file \(passwordFile): cannot read it") }
            return firstLine(data)
        }
        if isatty(STDIN_FILENO) != 0 {
            guard let first = getpass("Password: ").map({ String(cString: $0) }),
                let second = getpass("Again: ").map({ String(cString: $0) })
            else { throw ValidationError("no password given") }
            guard first == second else { throw ValidationError("the two passwords differ") }
            return first
        }
        return firstLine(FileHandle.standardInput.readDataToEndOfFile())
    }

    func firstLine(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) } ?? ""
    }
}

var cliActor: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }

/// Runs a user change, printing its refusal as a clean error.
func userChange(_ database: String, _ body: @Sendable @escaping (ConsoleUsers, any CollectorStore) async throws -> Void)
    async throws
{
    try await withStore(database) { store in
        try await store.migrate()
        do {
            try await body(ConsoleUsers(store: store), store)
        } catch let error as ConsoleUserError {
            throw ValidationError(error.message)
        }
    }
}

struct UserCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a console user.",
        discussion: """
            Roles: bureau_admin, bureau_viewer, school_admin (needs --school), auditor, observer (教研员: watches \
            and evaluates lessons).
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The sign-in name (letters, digits, '.', '_', '-').") var username: String
    @Option(help: "bureau_admin, bureau_viewer, school_admin, auditor or observer.") var role: String
    @Option(help: "The school of a school_admin (school_id of schools.csv).") var school: String?
    @Option(
        help:
            "The registry teacher this person is (teacher_id of teachers.csv): a principal's lesson views count for the observation quota."
    ) var teacher: String?
    @OptionGroup var password: PasswordOptions

    func validate() throws {
        guard OperatorRole(rawValue: role) != nil else {
            throw ValidationError(
                "unknown --role '\(role)'; use one of \(OperatorRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let (username, role, school, teacher) = (username, OperatorRole(rawValue: role)!, school, teacher)
        let secret = try password.read()
        try await userChange(database.database) { users, _ in
            let user = try await users.create(
                username: username, password: secret, role: role, schoolID: school, actor: cliActor, teacherID: teacher)
            print(
                "created user '\(user.username)' (\(user.role.rawValue)\(user.schoolID.map { ", school \($0)" } ?? "")"
                    + "\(user.teacherID.map { ", teacher \($0)" } ?? ""))")
        }
    }
}

struct UserPasswd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passwd", abstract: "Set a console user's password (and enable it again); its sessions end.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The user.") var username: String
    @OptionGroup var password: PasswordOptions

    func run() async throws {
        let username = username
        let secret = try password.read()
        try await userChange(database.database) { users, _ in
            try await users.setPassword(username: username, password: secret, actor: cliActor)
            print("password of '\(username)' changed")
        }
    }
}

struct UserDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable a console user; it is signed out at once.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The user.") var username: String

    func run() async throws {
        let username = username
        try await userChange(database.database) { users, store in
            guard let user = try await store.consoleUser(username: username) else {
                throw ValidationError("no user '\(username)'")
            }
            try await users.disable(user, actor: cliActor)
            print("user '\(username)' disabled")
        }
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List console users.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await userChange(database.database) { _, store in
            for user in try await store.consoleUsers(schoolID: nil) {
                print(
                    [user.username, user.role.rawValue, user.schoolID ?? "-", user.disabledAt == nil ? "enabled" : "disabled"]
                        .joined(separator: "\t"))
            }
        }
    }
}
