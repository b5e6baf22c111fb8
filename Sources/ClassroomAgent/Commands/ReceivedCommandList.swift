import ClassroomWire
import FoundationEssentials

/// One item of the collector's command list, decoded on its own.
public enum ReceivedCommand: Sendable, Hashable {
    /// A well-formed command of a kind this agent knows.
    case command(AgentCommand)
    /// An item the agent answers without acting on it: `ignored` (a kind this agent does not know) or
    /// `failed` (a known kind, malformed). `id` is nil when the item has no string id (it cannot be answered).
    case unusable(id: String?, kind: String, status: String, reason: String)
}

/// The answer to the command long-poll, decoded item by item: one unknown or malformed command never
/// hides the commands after it (``ReceivedCommand/unusable(id:kind:status:reason:)``).
///
/// - Important: only the envelope (`{"commands": [...]}`) must be well-formed; a broken envelope is an
///   undecodable answer, retried with backoff.
public struct ReceivedCommandList: Decodable, Sendable {
    public var items: [ReceivedCommand]

    public init(items: [ReceivedCommand]) { self.items = items }

    enum CodingKeys: String, CodingKey { case commands }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .commands)
        var items: [ReceivedCommand] = []
        if let count = list.count { items.reserveCapacity(min(count, 10_000)) }
        while !list.isAtEnd {
            // `Item` never throws, so the container always moves on to the next element.
            items.append(try list.decode(Item.self).value)
        }
        self.items = items
    }

    /// The commands of the list that can be acted on, in order.
    public var commands: [AgentCommand] {
        items.compactMap { if case .command(let c) = $0 { c } else { nil } }
    }
}

/// One element of the list: a command, or what is known of an unusable one.
struct Item: Decodable {
    let value: ReceivedCommand

    enum HeadKeys: String, CodingKey { case id, kind }

    init(from decoder: any Decoder) {
        let failure: any Error
        do {
            value = .command(try AgentCommand(from: decoder))
            return
        } catch {
            failure = error
        }
        let head = try? decoder.container(keyedBy: HeadKeys.self)
        let id = (try? head?.decodeIfPresent(String.self, forKey: .id)).flatMap { $0 }
        let kind = (try? head?.decodeIfPresent(String.self, forKey: .kind)).flatMap { $0 }
        let shownKind = kind.map { $0.count <= 64 ? $0 : String($0.prefix(64)) + "…" } ?? "?"
        if let kind, AgentCommand.Kind(rawValue: kind) == nil {
            value = .unusable(
                id: id, kind: shownKind, status: "ignored",
                reason: "unknown command kind '\(shownKind)' (this agent does not know it)")
        } else {
            value = .unusable(
                id: id, kind: shownKind, status: "failed", reason: "malformed command: \(Self.describe(failure))")
        }
    }

    /// A short description of a decoding error: the field and what was wrong.
    static func describe(_ error: any Error) -> String {
        let text: String
        switch error as? DecodingError {
        case .keyNotFound(let key, let c):
            text = "field '\((c.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))' is missing"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            text = path.isEmpty ? c.debugDescription : "field '\(path)': \(c.debugDescription)"
        case nil: text = "\(error)"
        @unknown default: text = "\(error)"
        }
        return text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }
}
