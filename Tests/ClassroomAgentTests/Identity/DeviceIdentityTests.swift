import ClassroomAgent
import ClassroomTestSupport
import ClassroomWire
import Crypto
import Foundation
import Testing

/// The device key and enrollment files, and evidence signatures.
@Suite struct DeviceIdentityTests {
    struct Payload: Codable {
        var orderID: String
        var framesSent: Int
    }

    @Test func keyIsCreatedOnceWithMode0600() throws {
        let dir = try TestProcess.temporaryDirectory("identity")
        defer { try? FileManager.default.removeItem(at: dir) }
        let identity = DeviceIdentity(stateDirectory: dir.appending(path: "state").path)
        try identity.prepareDirectory()
        let first = try identity.loadOrCreateKey()
        let second = try identity.loadOrCreateKey()
        #expect(first.rawRepresentation == second.rawRepresentation, "the key is created once, then reused")
        let attributes = try FileManager.default.attributesOfItem(atPath: identity.keyPath)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(try identity.loadEnrollment() == nil)
        let enrollment = Enrollment(
            deviceID: "dev-1", credential: "cfd_x", schoolID: "s", roomID: "r", collector: "https://c", enrolledAt: 5)
        try identity.save(enrollment)
        #expect(try identity.loadEnrollment() == enrollment)
        #expect(try FileManager.default.attributesOfItem(atPath: identity.enrollmentPath)[.posixPermissions] as? Int == 0o600)
    }

    @Test func damagedFilesAreNamed() throws {
        let dir = try TestProcess.temporaryDirectory("identity")
        defer { try? FileManager.default.removeItem(at: dir) }
        let identity = DeviceIdentity(stateDirectory: dir.path)
        try Data("short".utf8).write(to: URL(filePath: identity.keyPath))
        #expect(throws: StateError.self) { try identity.loadOrCreateKey() }
        try Data("{".utf8).write(to: URL(filePath: identity.enrollmentPath))
        do {
            _ = try identity.loadEnrollment()
            Issue.record("a damaged enrollment was accepted")
        } catch {
            #expect(error.description.contains("enrollment.json is damaged"))
        }
    }

    @Test func evidenceSignatureVerifiesAndDetectsTampering() throws {
        let signer = EvidenceSigner(key: Curve25519.Signing.PrivateKey())
        let evidence = try signer.sign(orderID: "o-1", payload: Payload(orderID: "o-1", framesSent: 900))
        #expect(EvidenceSigner.verify(evidence, publicKeyBase64: signer.publicKeyBase64))
        var tampered = evidence
        tampered.payload = try JSONEncoder().encode(Payload(orderID: "o-1", framesSent: 9000)).base64EncodedString()
        #expect(!EvidenceSigner.verify(tampered, publicKeyBase64: signer.publicKeyBase64))
        let other = EvidenceSigner(key: Curve25519.Signing.PrivateKey())
        #expect(!EvidenceSigner.verify(evidence, publicKeyBase64: other.publicKeyBase64))
        #expect(!EvidenceSigner.verify(evidence, publicKeyBase64: "not base64"))
    }
}
