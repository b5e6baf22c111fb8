import Hummingbird
import Synchronization

/// The collector's counters, exposed at `/metrics` in the Prometheus text format (version 0.0.4).
public final class CollectorMetrics: Sendable {
    private struct Counters {
        var requests: [String: Int] = [:]
        var eventsAccepted = 0
        var eventsDuplicate = 0
        var enrollments = 0
    }

    private let counters = Mutex(Counters())

    public init() {}

    func countRequest(status: Int) {
        counters.withLock { $0.requests["\(status / 100)xx", default: 0] += 1 }
    }

    func countEvents(accepted: Int, duplicates: Int) {
        counters.withLock {
            $0.eventsAccepted += accepted
            $0.eventsDuplicate += duplicates
        }
    }

    func countEnrollment() { counters.withLock { $0.enrollments += 1 } }

    /// The exposition text.
    public func exposition(waitingPolls: Int) -> String {
        let c = counters.withLock { $0 }
        var lines = [
            "# HELP collector_http_requests_total HTTP requests answered, by status class.",
            "# TYPE collector_http_requests_total counter",
        ]
        for (status, count) in c.requests.sorted(by: { $0.key < $1.key }) {
            lines.append("collector_http_requests_total{status=\"\(status)\"} \(count)")
        }
        lines += [
            "# HELP collector_events_accepted_total Agent events stored.",
            "# TYPE collector_events_accepted_total counter",
            "collector_events_accepted_total \(c.eventsAccepted)",
            "# HELP collector_events_duplicate_total Agent events received again and acknowledged without storing.",
            "# TYPE collector_events_duplicate_total counter",
            "collector_events_duplicate_total \(c.eventsDuplicate)",
            "# HELP collector_enrollments_total Devices enrolled.",
            "# TYPE collector_enrollments_total counter",
            "collector_enrollments_total \(c.enrollments)",
            "# HELP collector_long_polls_waiting Agents waiting in a long-poll now.",
            "# TYPE collector_long_polls_waiting gauge",
            "collector_long_polls_waiting \(waitingPolls)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    func middleware<Context: RequestContext>() -> MetricsCountingMiddleware<Context> { MetricsCountingMiddleware(metrics: self) }
}

/// Counts answers by status class (after the error middleware turned errors into answers).
struct MetricsCountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: CollectorMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            let response = try await next(request, context)
            metrics.countRequest(status: response.status.code)
            return response
        } catch {
            metrics.countRequest(status: 500)
            throw error
        }
    }
}
