import Foundation
import Hummingbird

/// Registers the console on the collector's router: sign-in, sign-out, the stylesheet, `/admin`
/// and the content pages (``ConsolePages``), all behind the console's error middleware.
public enum ConsoleRoutes {
    /// Called by ``CollectorServer/router(store:notifier:metrics:configuration:now:)``.
    public static func register(
        on router: Router<CollectorRequestContext>, store: any CollectorStore, configuration: CollectorConfiguration,
        now: @escaping @Sendable () -> Int64, resources: Result<ConsoleResources, ConsoleResourceError> = ConsoleResources.shared,
        commands: CommandDispatcher? = nil
    ) {
        let auth = ConsoleAuth(store: store, configuration: configuration.console, now: now)
        let renderer = ConsoleRenderer(store: store, resources: resources)
        var console = ConsoleEnvironment(store: store, auth: auth, renderer: renderer, configuration: configuration, now: now)
        console.patrolQueries = PatrolQueries(
            store: store,
            dispatcher: commands.map { SpotCheckDispatcher(store: store, commands: $0, configuration: configuration.spotcheck) },
            configuration: configuration, now: now)
        router.get("console/static/:file") { _, context in
            try staticFile(context.parameters.require("file"), resources: resources)
        }
        // nginx's auth_request for the live lessons' HLS: plain statuses, outside the pages' error handling.
        MediaAuthorization(console: console).register(on: router)
        let group = router.group().add(middleware: ConsoleErrorMiddleware(auth: auth, renderer: renderer))
        ConsoleSignIn(console: console).register(on: group)
        ConsoleAdmin(console: console).register(on: group)
        ConsolePages.register(on: group, console: console)
    }

    /// A file of `static/` (`.css`, `.js`, `.svg` only), cached for an hour.
    static func staticFile(_ name: String, resources: Result<ConsoleResources, ConsoleResourceError>) throws -> Response {
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        guard allowed, !name.hasPrefix("."), let type = types[String(name.split(separator: ".").last ?? "")] else {
            throw HTTPError(.notFound)
        }
        let directory = try resources.mapError { $0 as any Error }.get().directory
        guard let data = FileManager.default.contents(atPath: directory + "/static/" + name) else { throw HTTPError(.notFound) }
        return Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
