import ClassroomCore

extension InMemoryRepositories {
    /// Keeps the registry as the stores would read it back (``RegistryRows/stored(_:)``) and appends
    /// `audit`; a key held twice (school, room, teacher, calendar date) is refused with nothing changed,
    /// as the tables' primary keys refuse it.
    public func replaceRegistry(_ registry: Registry, audit: AuditEntry) async throws -> RegistryReplaceOutcome {
        let stored = RegistryRows.stored(registry)
        if let key = RegistryRows.duplicateKey(in: stored) {
            throw StoreError(code: "duplicate", message: "registry: \(key) appears twice; nothing was imported")
        }
        let roomSchools = Dictionary(uniqueKeysWithValues: stored.rooms.map { ($0.id, $0.schoolID) })
        let schoolIDs = Set(stored.schools.map(\.id))
        state.withLock { s in
            s.registry = stored
            s.roomSchools = roomSchools
            s.schoolIDs = schoolIDs
            s.audit.append(audit)
        }
        return RegistryReplaceOutcome(
            schools: stored.schools.count, rooms: stored.rooms.count, teachers: stored.teachers.count,
            lessons: stored.lessons.count, devicesUnbound: 0)
    }

    public func registry() async throws -> Registry {
        state.withLock { $0.registry }
    }

    public func termCalendar() async throws -> TermCalendar? {
        state.withLock { $0.registry.calendar }
    }

    public func schoolOfRoom(_ roomID: String) async throws -> String? {
        state.withLock { $0.roomSchools[roomID] }
    }

    public func schoolExists(_ schoolID: String) async throws -> Bool {
        state.withLock { $0.schoolIDs.contains(schoolID) }
    }
}
