import ClassroomCore
import Foundation
import Hummingbird

extension ConsoleEnvironment {
    /// The device reads and actions of `/api/v1/devices…`.
    var devices: DeviceQueries {
        DeviceQueries(store: store, now: now, onlineWindow: configuration.onlineWindowSeconds * 1000)
    }

    /// The report of `/api/v1/coverage`, with the same stream evidence.
    var coverage: CoverageQueries {
        CoverageQueries(
            store: store, configuration: configuration, now: now,
            streams: SpotCheckStreamEvidence(
                store: store, minimumStreamedFraction: configuration.spotcheck.minimumStreamedFraction))
    }

    /// The spot-check reads and actions of `/api/v1/spotcheck/…`.
    var spotchecks: SpotCheckQueries { SpotCheckQueries(store: store, configuration: configuration.spotcheck, now: now) }

    /// The county's time zone (the spot-check configuration's, which the collector validated at start).
    var zone: CountyTimeZone { configuration.spotcheck.zone }

    /// The ISO week of `now` in the county.
    var currentWeek: ISOWeek { ISOWeek(containing: zone.localTime(of: Self.date(now())).date) }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }

    /// `YYYY-MM-DD HH:MM` in the county's time zone; "—" for nil.
    func time(_ ms: Int64?) -> String {
        guard let ms else { return "—" }
        let local = zone.localTime(of: Self.date(ms))
        return "\(local.date) \(local.time)"
    }

    /// Runs a shared query for a page: its 403 for another school becomes the console's 404 (the
    /// page's role was checked by ``ConsoleAuth/requireViewer(_:roles:)``), 404 stays 404, 400 names
    /// the field.
    func page<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            switch error.status {
            case .forbidden, .notFound: throw ConsoleFailure.notFound
            case .badRequest: throw ConsoleFailure.badRequest(error.body.message)
            default: throw error
            }
        }
    }
}

/// A query string built from the page's current parameters (for sort links, paging and CSV links).
struct QueryString {
    var items: [(String, String)] = []

    init(_ request: Request, keeping keys: [String]) {
        for key in keys {
            if let v = request.uri.queryParameters[Substring(key)] { items.append((key, String(v))) }
        }
    }

    func with(_ key: String, _ value: String?) -> QueryString {
        var q = self
        q.items.removeAll { $0.0 == key }
        if let value { q.items.append((key, value)) }
        return q
    }

    /// `?a=1&b=2` (percent-encoded), or "" when empty.
    var text: String {
        guard !items.isEmpty else { return "" }
        var c = URLComponents()
        c.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        return "?" + (c.percentEncodedQuery ?? "")
    }
}
