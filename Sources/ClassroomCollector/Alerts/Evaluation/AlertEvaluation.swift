import ClassroomCore
import Logging

/// One evaluation: reads the facts, decides the conditions, plans the lifecycle and stores it with
/// the notifications to send (delivered later by ``AlertDeliveryService``, never here).
public struct AlertEvaluation: Sendable {
    let store: any CollectorStore
    let configuration: AlertConfiguration
    let zone: CountyTimeZone
    let logger: Logger

    public init(store: any CollectorStore, configuration: AlertConfiguration, zone: CountyTimeZone, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.zone = zone
        self.logger = logger
    }

    /// Evaluates at `now` (milliseconds) and answers the alerts opened and closed.
    @discardableResult
    public func run(now: Int64) async throws -> AlertPlanOutcome {
        let facts = try await AlertFactsReader(store: store, thresholds: configuration.thresholds, zone: zone).facts(now: now)
        let conditions = AlertEvaluator(thresholds: configuration.thresholds).conditions(facts, now: now)
        let open = try await store.openAlertStates()
        let plan = AlertLifecycle(closeAfterSeconds: configuration.thresholds.closeAfterSeconds)
            .plan(open: open, conditions: conditions, now: now)
        guard !plan.isEmpty else { return AlertPlanOutcome() }
        let outcome = try await store.applyAlertPlan(plan, channels: configuration.channels, at: now)
        for alert in outcome.opened {
            logger.notice(
                "alert opened", metadata: ["alert": "\(alert.key)", "school": "\(alert.schoolID)", "detail": "\(alert.detail)"])
        }
        for alert in outcome.closed {
            logger.notice("alert closed", metadata: ["alert": "\(alert.key)", "school": "\(alert.schoolID)"])
        }
        return outcome
    }
}
