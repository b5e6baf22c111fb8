import Logging

extension Logger {
    /// A background pass's failure (alert evaluation, delivery, dispatch, the scheduled draw, event
    /// retention, the patrol check, the recording sweep, self-test scheduling): an error, except when
    /// the collector is stopping and the pass was cut short by it (its task cancelled by the graceful
    /// shutdown, the error then a `CancellationError` or the store's pool closing), which is said at
    /// notice level: a normal `systemctl stop` leaves no error in the journal for an operator to chase.
    func backgroundPassFailed(_ what: String, error: any Error, detail: String? = nil) {
        let detail = detail ?? "\(error)"
        if Task.isCancelled || error is CancellationError {
            notice("\(what) interrupted: the collector is stopping", metadata: ["error": "\(detail)"])
        } else {
            self.error("\(what) failed", metadata: ["error": "\(detail)"])
        }
    }
}
