import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Where a browser's request came from, believing a proxy's `X-Forwarded-*` headers only when the
/// TCP peer is one of ``ConsoleConfiguration/trustedProxies``.
struct ConsoleClient: Sendable {
    /// The client's IP address (the lockout key); `unknown` without a socket (router tests).
    var address: String
    /// Whether the browser reached us over TLS (then cookies are `Secure`).
    var secure: Bool

    init(_ request: Request, context: CollectorRequestContext, configuration: ConsoleConfiguration) {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        guard configuration.trustedProxies.contains(peer) else {
            address = peer
            secure = false
            return
        }
        // The last X-Forwarded-For entry is the one our trusted proxy added.
        let forwarded = request.headers[values: .xForwardedFor].joined(separator: ",").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        address = forwarded.last ?? peer
        secure = request.headers[.xForwardedProto]?.lowercased() == "https"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
