import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// The collector's HTTP/1.1 server channel: Hummingbird's, plus ``HTTP10ConnectionClose``.
///
/// nginx-rtmp calls its hooks (`on_publish`, `on_publish_done`, `on_record_done`) with HTTP/1.0
/// requests and reads the answer until the connection closes. Hummingbird answers an HTTP/1.0
/// request as HTTP/1.1 and keeps the connection open, so nginx-rtmp took the answer only at its
/// 10 s call timeout: every stream, spot-check or patrol, started 10 s late (the viewer's wait,
/// on top of HLS's own latency).
struct CollectorHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel

    static func builder(idleTimeout: TimeAmount) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            CollectorHTTPChannel(http1: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: idleTimeout)))
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        http1.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Between NIO's HTTP/1 decoder (which still knows the version) and the conversion to
            // HTTP types (which forgets it). Runs on the channel's event loop before its first read.
            let decoder = try channel.pipeline.syncOperations.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(HTTP10ConnectionClose(), position: .after(decoder.handler))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async { await http1.handle(value: value, logger: logger) }
}

/// Marks an HTTP/1.0 request without `Connection: keep-alive` as `Connection: close` (RFC 9112
/// §9.3: such a connection ends after the answer), which Hummingbird honours by closing the
/// connection once it has answered.
final class HTTP10ConnectionClose: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard case .head(var head) = part, head.version == .http1_0, !head.isKeepAlive else {
            context.fireChannelRead(data)
            return
        }
        head.headers.replaceOrAdd(name: "connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
