extension ConsoleText {
    /// Labels of `/admin` (tokens, enrollment, users, audit log).
    static let adminZhCN: [String: String] = [:]

    /// English labels of `/admin` (same keys as ``adminZhCN``).
    static let adminEn: [String: String] = [:]
}
