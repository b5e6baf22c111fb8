import Foundation
import Hummingbird

/// Reading JSON request bodies with clear errors: 413 above the route's limit, 400 naming the field
/// for malformed JSON, wrong types, missing or (for strict bodies) unknown fields.
enum JSONBody {
    /// Default body limit of the API; agents' event batches (≤ 1,000 events) fit well inside.
    static let defaultLimit = 4 * 1024 * 1024

    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, limit: Int = defaultLimit, allowedKeys: Set<String>? = nil
    ) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return try decode(
            type, from: Data(buffer: buffer), what: "\(request.method) \(request.uri.path)", allowedKeys: allowedKeys)
    }

    /// Decodes a body already read; `what` (method and path) starts the error messages.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, what: String, allowedKeys: Set<String>? = nil) throws -> T {
        if let allowedKeys {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw APIError.badRequest("\(what): body must be a JSON object")
            }
            if let unknown = object.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
                throw APIError.badRequest("\(what): unknown field '\(unknown)'")
            }
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.badRequest("\(what): \(describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let parts = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return parts.isEmpty ? "body" : String(parts.dropFirst(parts.hasPrefix(".") ? 1 : 0))
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field '\(path(context.codingPath + [key]))' is missing"
        case .typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' must be \(jsonType(type))"
        case .valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' must be \(jsonType(type)), not null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "body is not valid JSON" }
            return "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "body cannot be decoded"
        }
    }

    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }

    /// A JSON response with the given status.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
