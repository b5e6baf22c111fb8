import ArgumentParser
import ClassroomCollector
import ClassroomCore

/// The self-test (自检推流) options of `classroom-collector serve`, beside the spot-check options.
struct SelfTestOptions: ParsableArguments {
    @Option(
        name: .customLong("selftest-window"),
        help: "Daily window (county zone) of each recording room's weekly self-test publish, outside lessons.")
    var window = "12:10-13:30"

    @Option(name: .customLong("selftest-days"), help: "Weekdays of the self-test window, such as mon-fri or 1,3,5.")
    var days = "mon-fri"

    @Option(name: .customLong("selftest-seconds"), help: "How long a self-test publishes (10…600 seconds).")
    var seconds = 60

    @Option(
        name: .customLong("selftest-attempts"),
        help: "Self-tests a room may have in one week when one does not stream (1…5; each retry on a later school day).")
    var attempts = 3

    @Option(
        name: .customLong("selftest-ingest"),
        help:
            "The RTMP application self-tests push to (default: --spotcheck-ingest with its last path segment replaced by 'selftest')."
    )
    var ingest: String?

    @Flag(
        name: .customLong("no-selftest"), help: "Schedule no self-tests (recording rooms are then verified by spot-checks only).")
    var disabled = false

    /// The scheduler's settings; a bad value is a ValidationError naming its option.
    func configuration() throws -> SelfTestConfiguration {
        do {
            let window = try SelfTestWindow.parse(
                window: window, days: days, seconds: seconds,
                keys: ("--selftest-window", "--selftest-days", "--selftest-seconds"))
            guard SelfTestConfiguration.attemptRange.contains(attempts) else {
                throw ValidationError("--selftest-attempts: must be 1…5 self-tests a week, not \(attempts)")
            }
            return SelfTestConfiguration(window: window, attempts: attempts)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `--selftest-ingest`, checked.
    func ingestURL() throws -> String? {
        if let ingest, !(ingest.hasPrefix("rtmp://") || ingest.hasPrefix("rtmps://")) {
            throw ValidationError("--selftest-ingest must be an rtmp:// URL, not '\(ingest)'")
        }
        return ingest
    }
}
