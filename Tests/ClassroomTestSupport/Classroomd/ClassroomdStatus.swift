/// What `classroomd status --json` reports (the fields tests read; see `AgentStatus` in ClassroomAgent).
public struct ClassroomdStatus: Decodable, Sendable {
    public var enrolled: Bool
    public var device_id: String?
    public var room_id: String?
    public var collector: String?
    public var queue_depth: Int
    public var last_upload_at: Int64?
    public var last_error: String?
    public var last_sequence: Int64?
    public var outbox_moved_aside: String?
    public var dropped_usage_total: Int64
    public var current_command: String?
    public var clock_skew_ms: Int64?
}
