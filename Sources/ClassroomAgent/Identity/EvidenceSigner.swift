import ClassroomWire
import Crypto
import FoundationEssentials

/// Signs spot-check evidence with the device's Ed25519 key (see ``SignedEvidence``).
///
/// - Important: the signature covers the exact payload bytes, which travel base64-encoded beside it,
///   so the collector verifies without re-encoding JSON.
public struct EvidenceSigner: Sendable {
    let key: Curve25519.Signing.PrivateKey

    public init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    /// A fresh random key (for `classroomd spotcheck-test`, which checks a room without enrolling it).
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// The raw 32-byte public key, base64 (as sent at enrollment).
    public var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// Encodes `payload` as JSON (sorted keys) and signs those bytes.
    public func sign(orderID: String, payload: some Encodable) throws -> SignedEvidence {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = try encoder.encode(payload)
        let signature = try key.signature(for: bytes)
        return SignedEvidence(
            orderID: orderID, payload: bytes.base64EncodedString(), signature: Data(signature).base64EncodedString())
    }

    /// Whether `evidence` carries a valid signature by the holder of `publicKeyBase64`.
    public static func verify(_ evidence: SignedEvidence, publicKeyBase64: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKeyBase64),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let payload = Data(base64Encoded: evidence.payload), let signature = Data(base64Encoded: evidence.signature)
        else { return false }
        return key.isValidSignature(signature, for: payload)
    }
}
