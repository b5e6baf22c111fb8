import ClassroomWire
import Crypto
import FoundationEssentials

/// An Ed25519 key that signs spot-check evidence (the device's key, or a fresh one for `spotcheck-test`).
public struct SpotCheckEvidenceKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A fresh random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// The raw 32-byte private key.
    public init(rawRepresentation: Data) throws { key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation) }

    /// The raw 32-byte public key, base64.
    public var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// Signs the evidence's canonical bytes.
    public func sign(_ evidence: SpotCheckRunReport) throws -> SignedEvidence {
        try evidence.signed { try Data(key.signature(for: $0)) }
    }

    /// Whether `signed` carries a valid signature by `publicKeyBase64` over its payload bytes.
    public static func verify(_ signed: SignedEvidence, publicKeyBase64: String) -> Bool {
        guard let keyBytes = Data(base64Encoded: publicKeyBase64),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes),
            let payload = Data(base64Encoded: signed.payload), let signature = Data(base64Encoded: signed.signature)
        else { return false }
        return key.isValidSignature(signature, for: payload)
    }
}
