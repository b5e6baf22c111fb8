/// The read model of each order's stream facts: which stored events are an order's evidence and the
/// result of its command, kept at ingest (in the events' transaction) so that the results of a week
/// read a handful of rows by key instead of searching each device's events.
///
/// A row links an order to one event of any device; the reader keeps those of the order's own device
/// from a day before its lesson on, as the search did. The migration fills it from the stored events.
enum SpotCheckOrderEventsSchema {
    static let migration = CollectorSchema.Migration(
        name: "v630-spotcheck-order-events",
        statements: [
            """
            CREATE TABLE spotcheck_order_events (order_id TEXT NOT NULL, device_id TEXT NOT NULL, seq {INT} NOT NULL,
              kind TEXT NOT NULL, PRIMARY KEY (order_id, device_id, seq))
            """,
            "CREATE INDEX spotcheck_orders_command ON spotcheck_orders (command_id)",
            """
            INSERT INTO spotcheck_order_events (order_id, device_id, seq, kind)
            SELECT {JSON:body:evidence.order_id}, device_id, seq, kind FROM events
            WHERE kind = 'evidence' AND {JSON:body:evidence.order_id} IS NOT NULL
            ON CONFLICT DO NOTHING
            """,
            """
            INSERT INTO spotcheck_order_events (order_id, device_id, seq, kind)
            SELECT o.id, e.device_id, e.seq, e.kind FROM events e
            JOIN spotcheck_orders o ON o.command_id = {JSON:e.body:command_result.command_id}
            WHERE e.kind = 'command_result'
            ON CONFLICT DO NOTHING
            """,
        ])
}
