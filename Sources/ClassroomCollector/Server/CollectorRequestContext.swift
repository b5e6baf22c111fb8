import Hummingbird
import NIOCore

/// The request context of every collector route: Hummingbird's basic context plus the peer's
/// address (the console locks an address out after repeated failed sign-ins).
public struct CollectorRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer; nil in router tests (no socket).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
