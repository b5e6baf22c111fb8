/// One problem in a registry folder, as `FILE:LINE: field: message`.
public struct RegistryProblem: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line; 0 when the problem concerns the whole file (such as a missing file).
    public var line: Int
    public var field: String
    public var message: String

    public init(file: String, line: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        (line > 0 ? "\(file):\(line): " : "\(file): ") + (field.isEmpty ? "" : "\(field): ") + message
    }
}

/// Every problem found in a registry folder; the registry was not accepted.
public struct RegistryProblems: Error, Codable, Sendable, Hashable, CustomStringConvertible {
    public var problems: [RegistryProblem]
    public var warnings: [RegistryProblem]

    public init(problems: [RegistryProblem], warnings: [RegistryProblem] = []) {
        self.problems = problems
        self.warnings = warnings
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// A registry that passed validation, with what is worth telling but not fatal.
public struct LoadedRegistry: Sendable, Hashable {
    public var registry: Registry
    /// Unknown extra columns, teachers teaching in another school (走教), and the like.
    public var warnings: [RegistryProblem]
    /// How each file was encoded.
    public var encodings: [String: TextEncoding]
}
