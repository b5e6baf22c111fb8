import ClassroomCore
import Foundation

/// The auditor's check of one published reveal document: decode it (naming the field that cannot be
/// read), recompute the draw and its commitment (``ClassroomCore/SpotCheckVerifier``), and compare
/// with the commitment published at draw time when one is given.
///
/// `classroomctl spotcheck verify` and the console's verify form both call this.
public enum RevealCheck {
    /// Why a reveal is not verified: unreadable, or the first difference found.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// A verified reveal.
    public struct Verified: Sendable {
        public var reveal: SpotCheckReveal
        public var orders: Int
    }

    /// Decodes the reveal; a ``Failure`` names the field that cannot be read.
    public static func decode(_ data: Data) throws -> SpotCheckReveal {
        do {
            return try JSONDecoder().decode(SpotCheckReveal.self, from: data)
        } catch let error as DecodingError {
            throw Failure(description: "not a reveal document: \(describe(error))")
        }
    }

    /// Decodes and verifies; `commitment` (hex) is the one published at draw time, if known.
    public static func check(_ data: Data, commitment: String? = nil) throws -> Verified {
        let reveal = try decode(data)
        let result = try SpotCheckVerifier.verify(reveal)
        if let commitment, commitment.lowercased() != reveal.commitment.lowercased() {
            throw SpotCheckDifference(
                field: "commitment", published: "'\(reveal.commitment)'",
                recomputed: "'\(commitment)' (published at draw time)")
        }
        return Verified(reveal: reveal, orders: result.orders.count)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text.isEmpty ? "(document)" : text
        }
        switch error {
        case .dataCorrupted(let c):
            return
                "\(path(c.codingPath)): \(c.underlyingError.map { "invalid JSON (\($0.localizedDescription))" } ?? c.debugDescription)"
        case .keyNotFound(let key, let c): return "\(path(c.codingPath + [key])): missing"
        case .typeMismatch(let type, let c): return "\(path(c.codingPath)): expected \(type)"
        case .valueNotFound(let type, let c): return "\(path(c.codingPath)): expected \(type), found null"
        @unknown default: return "\(error)"
        }
    }
}
