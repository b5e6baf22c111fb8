import ClassroomTestSupport
import Foundation
import Testing

/// HTTPS to the collector: a certificate from a private CA is trusted only through `ca_bundle`.
@Suite struct TLSTests {
    /// A self-signed certificate for `localhost` made with the openssl CLI.
    static func makeCertificate(in dir: URL) throws -> (cert: String, key: String) {
        let cert = dir.appending(path: "collector.pem").path
        let key = dir.appending(path: "collector.key").path
        let out = try TestProcess.run(
            URL(filePath: "/usr/bin/openssl"),
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert,
            ])
        guard out.status == 0 else { throw TestSupportError("openssl req failed: \(out.stderr)") }
        return (cert, key)
    }

    @Test func caBundleIsHonouredAndAnUnknownCertificateRefused() async throws {
        let dir = try TestProcess.temporaryDirectory("tls")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tls = try Self.makeCertificate(in: dir)
        let collector = try FakeCollector(directory: dir, tls: tls)

        let untrusted = try AgentUnderTest(collector: nil)
        defer { untrusted.remove() }
        let refused = try untrusted.enroll(collector)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("curl error 60") || refused.stderr.contains("certificate"), "\(refused.stderr)")

        let trusted = try AgentUnderTest(collector: nil, extra: "ca_bundle = \"\(tls.cert)\"\n")
        defer { trusted.remove() }
        let enrolled = try trusted.enroll(collector)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(try trusted.status().enrolled)
    }
}
