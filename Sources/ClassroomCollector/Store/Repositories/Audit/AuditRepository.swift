/// The audit log: who did what to which school's data, append-only. Most writes of the other
/// repositories append their entry in their own transaction; this is for the entries that stand alone.
public protocol AuditRepository: Sendable {
    func appendAudit(_ entry: AuditEntry) async throws
    /// Entries matching `filter` (see ``AuditFilter``), newest first, `offset` entries skipped.
    func auditLog(filter: AuditFilter, limit: Int, offset: Int) async throws -> [AuditEntry]
}

extension AuditRepository {
    /// Newest first; one school's entries when `schoolID` is given.
    public func auditLog(schoolID: String?, limit: Int) async throws -> [AuditEntry] {
        try await auditLog(filter: AuditFilter(schoolID: schoolID), limit: limit, offset: 0)
    }
}

/// Which audit entries to read: every given field must match (actor and action exactly, or by
/// prefix when they end in `*`).
public struct AuditFilter: Sendable, Hashable {
    public var actor: String?
    public var action: String?
    public var schoolID: String?
    /// Only entries of these schools (a school or county admin's scope, `county=`); nil for every entry.
    public var schoolIDs: [String]?

    public init(actor: String? = nil, action: String? = nil, schoolID: String? = nil) {
        self.actor = actor
        self.action = action
        self.schoolID = schoolID
    }

    /// A SQL `LIKE` pattern for a value (`*` at the end: prefix), with `%`, `_` and `\` escaped.
    static func likePattern(_ value: String) -> String {
        let prefix = value.hasSuffix("*")
        let core = prefix ? String(value.dropLast()) : value
        let escaped = core.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return prefix ? escaped + "%" : escaped
    }

    /// A SQLite `GLOB` pattern for a value (`*` at the end: prefix), with `*`, `?` and `[` matched literally.
    static func globPattern(_ value: String) -> String {
        let prefix = value.hasSuffix("*")
        let core = prefix ? String(value.dropLast()) : value
        var escaped = ""
        for c in core {
            switch c {
            case "*", "?", "[": escaped += "[\(c)]"
            default: escaped.append(c)
            }
        }
        return prefix ? escaped + "*" : escaped
    }

    /// Whether `entry` matches, exactly as the stores' queries decide (case-sensitive).
    public func matches(_ entry: AuditEntry) -> Bool {
        func match(_ pattern: String?, _ value: String) -> Bool {
            guard let pattern else { return true }
            return pattern.hasSuffix("*") ? value.hasPrefix(pattern.dropLast()) : value == pattern
        }
        guard match(actor, entry.actor), match(action, entry.action) else { return false }
        if let schoolID, entry.schoolID != schoolID { return false }
        if let schoolIDs, !(entry.schoolID.map(schoolIDs.contains) ?? false) { return false }
        return true
    }
}
