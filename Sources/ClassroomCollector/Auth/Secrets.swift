import ClassroomWire
import Crypto
import Foundation

/// Makes and hashes secrets: operator tokens, enrollment tokens and device credentials.
///
/// - Important: a secret is shown once; only its SHA-256 (hex) is stored. Secrets carry 256 bits
///   from the system generator, so a plain hash (no salt, no stretching) is the right tool.
public enum Secrets {
    /// A new secret with the kind's prefix (``ClassroomWire/SecretPrefix``), such as `cfo_…`.
    public static func make(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new opaque id for stored objects.
    public static func newID() -> String { UUID().uuidString.lowercased() }
}
