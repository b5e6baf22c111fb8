import Foundation
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`).
public struct ConsoleForm: Sendable {
    /// Every field with all its values, in order.
    public var fields: [String: [String]]

    public init(fields: [String: [String]]) { self.fields = fields }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? { fields[name]?.first }

    /// The first value of `name`, trimmed; nil when absent or blank.
    public func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// Reads the request's form body (at most `limit` bytes).
    /// - Throws: ``ConsoleFailure/badRequest(_:)`` for another content type or a body that is too large.
    public static func read(_ request: Request, limit: Int = 64 * 1024) async throws -> ConsoleForm {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw ConsoleFailure.badRequest("expected a form (application/x-www-form-urlencoded), not '\(type)'")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw ConsoleFailure.badRequest("the form is larger than \(limit) bytes")
        }
        return parse(String(buffer: buffer))
    }

    /// Parses `a=1&b=x+y%20z`: `+` is a space, `%XX` a byte of UTF-8.
    public static func parse(_ body: String) -> ConsoleForm {
        var fields: [String: [String]] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            fields[name, default: []].append(value)
        }
        return ConsoleForm(fields: fields)
    }

    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
