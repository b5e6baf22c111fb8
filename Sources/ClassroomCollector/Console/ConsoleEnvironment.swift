import Hummingbird

/// Everything a console page needs, built once by ``ConsoleRoutes/register(on:store:configuration:now:)``
/// and handed to each page's registration (``ConsolePages``, ``ConsoleAdmin``).
public struct ConsoleEnvironment: Sendable {
    public let store: any CollectorStore
    /// Who is signed in (``ConsoleAuth/requireViewer(_:roles:)``).
    public let auth: ConsoleAuth
    /// The layout and templates (``ConsoleRenderer/page(_:viewer:title:section:bodyTemplate:values:flash:status:)``).
    public let renderer: ConsoleRenderer
    /// The collector's configuration (profiles, time zone, spot-check, online window, console).
    public let configuration: CollectorConfiguration
    /// The collector's clock, milliseconds since 1970.
    public let now: @Sendable () -> Int64
    /// Patrols (巡课), with the collector's command queue when the console was given one.
    var patrolQueries: PatrolQueries? = nil
}

/// The console's HTTP answers that are not pages.
enum ConsoleHTTP {
    /// 303 See Other to `location` (after a form post, and to the sign-in page).
    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// `next` when it is a path on this collector, else `/` (no open redirect).
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/" }
        return next
    }
}
