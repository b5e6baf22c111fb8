import ArgumentParser
import ClassroomCollector
import ClassroomWire
import Foundation

/// `classroom-collector token …`: bootstrap tokens on the collector host (no HTTP, no token needed).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create operator tokens directly in the database (bootstrap).",
        subcommands: [TokenCreate.self])
}

/// `classroom-collector token create --role bureau_admin --name NAME`.
struct TokenCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an operator token and print it once (only its hash is stored).",
        discussion: """
            Roles: bureau_admin, bureau_viewer, school_admin (needs --school), auditor, observer (教研员: watches \
            and evaluates lessons), county_admin (needs --county: reads one county's coverage of a prefecture \
            collector; other routes refuse it for now). Audit-logged as cli:$USER.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "bureau_admin, bureau_viewer, school_admin, auditor, observer or county_admin.")
    var role: String

    @Option(help: "Who or what holds the token, for the audit log.")
    var name: String

    @Option(help: "The school of a school_admin token (school_id of schools.csv).")
    var school: String?

    @Option(help: "The county of a county_admin token (the county value of schools.csv).")
    var county: String?

    @Flag(help: "Print {\"id\", \"token\", \"role\", \"name\", \"school_id\", \"county\"} as JSON.")
    var json = false

    func validate() throws {
        guard let role = OperatorRole(rawValue: role) else {
            throw ValidationError(
                "unknown --role '\(self.role)'; use one of \(OperatorRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if role == .schoolAdmin && school == nil { throw ValidationError("--role school_admin needs --school SCHOOL_ID") }
        if role != .schoolAdmin && school != nil { throw ValidationError("--school is only for --role school_admin") }
        if role == .countyAdmin && (county ?? "").isEmpty { throw ValidationError("--role county_admin needs --county NAME") }
        if role != .countyAdmin && county != nil { throw ValidationError("--county is only for --role county_admin") }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
    }

    func run() async throws {
        let role = OperatorRole(rawValue: role)!
        let (name, school, county, json) = (name, school, county, json)
        try await withStore(database.database) { store in
            try await store.migrate()
            if let school, !(try await store.schoolExists(school)) {
                throw ValidationError("no school '\(school)' in the registry; import the registry first")
            }
            if let county {
                let counties = try await store.registry().counties
                guard counties.contains(county) else {
                    throw ValidationError(
                        "no county '\(county)' in the registry (counties: \(counties.joined(separator: ", "))); import the registry first"
                    )
                }
            }
            let secret = Secrets.make(prefix: SecretPrefix.operatorToken)
            let now = collectorNow()
            let actor = "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")"
            let record = OperatorTokenRecord(
                id: Secrets.newID(), name: name, role: role, schoolID: school, secretHash: Secrets.hash(secret), createdAt: now,
                createdBy: actor, county: county)
            try await store.insertOperatorToken(
                record,
                audit: AuditEntry(
                    at: now, actor: actor, action: "token.create", target: "token:\(record.id)", schoolID: school,
                    detail: "\(role.rawValue) '\(name)'\(county.map { " county \($0)" } ?? "") (bootstrap)"))
            if json {
                let object: [String: Any] = [
                    "id": record.id, "token": secret, "role": role.rawValue, "name": name,
                    "school_id": school.map { $0 as Any } ?? NSNull(), "county": county.map { $0 as Any } ?? NSNull(),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(secret)
            }
        }
    }
}
