import Foundation

/// The console's labels: one table per language (``ConsoleText/zhCN``, ``ConsoleText/en``), looked
/// up by key with ``t(_:)``.
///
/// - Important: both tables have the same keys (a test checks). Keys are snake_case so that
///   templates can read them as `{{t.key}}` (Mustache reads dots as nesting).
public struct ConsoleText: Sendable {
    public let language: ConsoleLanguage

    public init(language: ConsoleLanguage) { self.language = language }

    /// The table of `language`.
    public var table: [String: String] {
        switch language {
        case .zhCN: Self.zhCN
        case .en: Self.en
        }
    }

    /// The label for `key`; the key itself (visible, so a missing label is noticed) when unknown.
    public func t(_ key: String) -> String { table[key] ?? key }

    /// `t(key)` with `{0}`, `{1}`, … replaced by `arguments` in order.
    public func t(_ key: String, _ arguments: String...) -> String {
        var text = t(key)
        for (i, argument) in arguments.enumerated() { text = text.replacingOccurrences(of: "{\(i)}", with: argument) }
        return text
    }

    /// Why a called lesson has its status, in this language (the bureau's excuse as written).
    public func reason(_ reason: SpotCheckReason) -> String {
        let (key, argument) = reason.label
        guard let key else { return argument }
        return t(key, argument)
    }

    /// One table from the per-file ones (the first wins on a repeated key; a test forbids repeats).
    static func merged(_ tables: [[String: String]]) -> [String: String] {
        tables.reduce(into: [:]) { all, table in all.merge(table) { first, _ in first } }
    }

    /// The label of an operator role.
    public func role(_ role: OperatorRole) -> String { t("role_" + role.rawValue) }
}
