import ClassroomCore

/// The county's registry (schools, rooms, teachers, timetable, term calendar), replaced whole by an import.
public protocol RegistryRepository: Sendable {
    /// Replaces the whole registry atomically; devices whose room is gone are unbound (room nil).
    func replaceRegistry(_ registry: Registry, audit: AuditEntry) async throws -> RegistryReplaceOutcome
    /// The stored registry (empty when none was imported). Both stores keep it in memory between
    /// imports (``RegistryCache``): one single-row query while no collector imported since.
    func registry() async throws -> Registry
    /// The stored registry's term calendar alone (nil without one): cheap even when ``registry()`` is not cached.
    func termCalendar() async throws -> TermCalendar?
    /// The school of a room, nil when the room is unknown.
    func schoolOfRoom(_ roomID: String) async throws -> String?
    func schoolExists(_ schoolID: String) async throws -> Bool
}

/// Counts of a registry replacement.
public struct RegistryReplaceOutcome: Codable, Sendable, Hashable {
    public var schools: Int
    public var rooms: Int
    public var teachers: Int
    public var lessons: Int
    /// Devices whose room no longer exists; they stay enrolled without a room.
    public var devicesUnbound: Int

    public init(schools: Int, rooms: Int, teachers: Int, lessons: Int, devicesUnbound: Int) {
        self.schools = schools
        self.rooms = rooms
        self.teachers = teachers
        self.lessons = lessons
        self.devicesUnbound = devicesUnbound
    }

    enum CodingKeys: String, CodingKey {
        case schools, rooms, teachers, lessons
        case devicesUnbound = "devices_unbound"
    }
}
