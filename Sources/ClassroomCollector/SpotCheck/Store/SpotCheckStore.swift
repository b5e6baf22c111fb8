/// The spot-check part of the collector's database; ``CollectorStore`` refines it, so both
/// stores implement it (in `SpotCheck/Store/`) and one conformance suite checks both.
///
/// - Important: like ``CollectorStore``, every method is one transaction; times are milliseconds
///   since 1970 on the collector's clock.
public protocol SpotCheckStore: Sendable {
    /// Stores a week's draw with its orders and audit entry; false when that week was drawn already.
    func insertSpotCheckDraw(_ draw: SpotCheckDrawRecord, orders: [SpotCheckOrderRecord], audit: AuditEntry) async throws
        -> Bool
    func spotCheckDraw(week: String) async throws -> SpotCheckDrawRecord?
    /// ``spotCheckDraw(week:)`` without the reveal (at the province 64 MB): what the scheduler checks.
    func spotCheckDrawSummary(week: String) async throws -> SpotCheckDrawSummary?
    /// The draw of the latest week, without its reveal (its rotation after is the next week's rotation
    /// before): what the next week's draw and the scheduler read.
    func latestSpotCheckDrawSummary() async throws -> SpotCheckDrawSummary?
    /// Marks a draw revealed; false when unknown or already revealed.
    func revealSpotCheck(week: String, at: Int64, audit: AuditEntry) async throws -> Bool

    /// Stores one order outside the weekly draw (`spotcheck now`).
    func insertSpotCheckOrder(_ order: SpotCheckOrderRecord, audit: AuditEntry) async throws
    /// Orders of a week (all sources), optionally of one school, by lesson start.
    func spotCheckOrders(week: String, schoolID: String?) async throws -> [SpotCheckOrderRecord]
    func spotCheckOrder(id: String) async throws -> SpotCheckOrderRecord?
    func spotCheckOrder(streamKeyHash: String) async throws -> SpotCheckOrderRecord?
    /// Undispatched orders whose lesson starts by `startingBy` and has not ended at `now`.
    func dueSpotCheckOrders(startingBy: Int64, now: Int64) async throws -> [SpotCheckOrderRecord]
    /// Records the dispatch of an undispatched order; false when it was dispatched already.
    func claimSpotCheckDispatch(orderID: String, dispatch: SpotCheckDispatch, at: Int64) async throws -> Bool
    /// Undoes a claim whose command could not be queued, so the next pass retries it.
    func releaseSpotCheckDispatch(orderID: String) async throws
    /// Records the start of the order's stream; false when a stream was already started (single use).
    func startSpotCheckPublish(orderID: String, at: Int64, addr: String) async throws -> Bool
    /// Records the end of the order's stream; false when none is running.
    func endSpotCheckPublish(orderID: String, at: Int64) async throws -> Bool
    /// Marks an order excused with its audit entry; false when unknown or excused already.
    func excuseSpotCheckOrder(id: String, reason: String, by actor: String, at: Int64, audit: AuditEntry) async throws -> Bool

    /// Unrevoked devices in a room, heard from at or after `seenSince`, whose newest inventory has a camera
    /// and a microphone (the devices' hardware read-model, kept at ingest: no event is read), ordered by id.
    func streamCapableDevices(seenSince: Int64) async throws -> [DeviceRecord]
    /// The rooms of ``streamCapableDevices(seenSince:)``, each once, without reading the devices: the
    /// weekly draw needs the rooms only (at the province 24,000 rooms of 37,000 such devices).
    func streamCapableRooms(seenSince: Int64) async throws -> Set<String>
    /// A device's events of one kind stored at or after `since` (corrected time), in `seq` order.
    func events(deviceID: String, kind: String, since: Int64) async throws -> [StoredEvent]
    /// Per order, its evidence and command-result events (``SpotCheckOrderEventsSchema``, kept at ingest):
    /// those of the order's own device whose time is at most a day before its lesson, in `seq` order.
    /// Orders without any are absent.
    func spotCheckOrderEvents(orderIDs: [String]) async throws -> [String: [StoredEvent]]
    /// The device's newest inventory event (snapshot or change, by `seq`) whose time is at or before `by`.
    func latestInventoryEvent(deviceID: String, by: Int64) async throws -> StoredEvent?
}
