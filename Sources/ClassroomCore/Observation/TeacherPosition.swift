/// A teacher's leadership position (`position` column of `teachers.csv`), for the observation quotas.
/// Ordinary teachers leave the column empty.
public enum TeacherPosition: String, Codable, Sendable, Hashable, CaseIterable {
    /// 校长.
    case principal
    /// 副校长.
    case vicePrincipal = "vice_principal"

    /// Parses a cell: `principal` / `校长`, `vice_principal` / `副校长` (case-insensitive, trimmed).
    public init?(cell: String) {
        // The spellings a registry writes, without the `Character` work below (a province has 40,000).
        switch cell {
        case "principal", "校长":
            self = .principal
            return
        case "vice_principal", "副校长":
            self = .vicePrincipal
            return
        default: break
        }
        let t = String(cell.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()).lowercased()
        switch t {
        case "principal", "校长": self = .principal
        case "vice_principal", "vice-principal", "副校长": self = .vicePrincipal
        default: return nil
        }
    }

    public var zh: String { self == .principal ? "校长" : "副校长" }
    public var en: String { self == .principal ? "principal" : "vice-principal" }
}
