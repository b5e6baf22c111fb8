import ClassroomCore
import Logging
import PostgresNIO

extension CollectorPostgresStore {

    public func replaceRegistry(_ r: Registry, audit: AuditEntry) async throws -> RegistryReplaceOutcome {
        let r = RegistryRows.canonical(r)  // stored in the order reads return it
        let logger = logger
        let outcome = try await transaction { c in
            // First, so that it rolls back with the rest when anything below fails.
            try await c.query(PostgresQuery(unsafeSQL: RegistryGenerationSchema.bump), logger: logger)
            try await c.query("DELETE FROM lessons; ", logger: logger)
            try await c.query("DELETE FROM teachers", logger: logger)
            try await c.query("DELETE FROM rooms", logger: logger)
            try await c.query("DELETE FROM schools", logger: logger)
            try await c.query("DELETE FROM calendar_days", logger: logger)
            let days = r.calendar?.days ?? []
            try await c.query(
                """
                INSERT INTO calendar_days (date, kind, note, timetable_weekday)
                SELECT date, kind, note, NULLIF(timetable_weekday, 0) FROM UNNEST(\(days.map(\.date.description))::text[],
                  \(days.map(\.kind.rawValue))::text[], \(days.map(\.note))::text[],
                  \(days.map { Int64($0.timetableWeekday ?? 0) })::bigint[]) AS d (date, kind, note, timetable_weekday)
                """, logger: logger)
            let s = r.schools
            try await c.query(
                """
                INSERT INTO schools SELECT * FROM UNNEST(\(s.map(\.id))::text[], \(s.map(\.name))::text[],
                  \(s.map(\.county))::text[], \(s.map(\.township))::text[], \(s.map { Int64($0.primary.classes) })::bigint[],
                  \(s.map { Int64($0.primary.students) })::bigint[], \(s.map { Int64($0.junior.classes) })::bigint[],
                  \(s.map { Int64($0.junior.students) })::bigint[], \(s.map { Int64($0.high.classes) })::bigint[],
                  \(s.map { Int64($0.high.students) })::bigint[])
                """, logger: logger)
            if s.contains(where: { school in SchoolResource.stages.contains { !school[$0].resources.isEmpty } }) {
                try await c.query(Self.schoolResourcesUpdate(s), logger: logger)
            }
            let rooms = r.rooms
            try await c.query(
                """
                INSERT INTO rooms SELECT id, school_id, name, kind, stage, class_name, NULLIF(declared, '-')
                FROM UNNEST(\(rooms.map(\.id))::text[], \(rooms.map(\.schoolID))::text[],
                  \(rooms.map(\.name))::text[], \(rooms.map(\.kind.rawValue))::text[], \(rooms.map(\.stage.rawValue))::text[],
                  \(rooms.map(\.className))::text[], \(rooms.map { RegistryRows.declared($0.declared) ?? "-" })::text[])
                  AS r (id, school_id, name, kind, stage, class_name, declared)
                """, logger: logger)
            let t = r.teachers
            try await c.query(
                """
                INSERT INTO teachers (id, school_id, name, subjects, position) SELECT * FROM UNNEST(\(t.map(\.id))::text[],
                  \(t.map(\.schoolID))::text[], \(t.map(\.name))::text[], \(t.map { RegistryRows.subjects($0.subjects) })::text[],
                  \(t.map { $0.position?.rawValue ?? "" })::text[])
                """, logger: logger)
            let l = r.lessons
            try await c.query(
                """
                INSERT INTO lessons SELECT * FROM UNNEST(\(l.map(\.schoolID))::text[], \(l.map(\.roomID))::text[],
                  \(l.map(\.teacherID))::text[], \(l.map { Int64($0.weekday) })::bigint[],
                  \(l.map { Int64($0.start.minutes) })::bigint[], \(l.map { Int64($0.end.minutes) })::bigint[],
                  \(l.map(\.subject))::text[])
                """, logger: logger)
            let unbound = try await c.query(
                """
                UPDATE devices SET room_id = NULL WHERE room_id IS NOT NULL AND NOT EXISTS
                  (SELECT 1 FROM rooms WHERE rooms.id = devices.room_id AND rooms.school_id = devices.school_id) RETURNING id
                """, logger: logger
            ).collect().count
            try await Self.audit(c, audit, logger: logger)
            return RegistryReplaceOutcome(
                schools: s.count, rooms: rooms.count, teachers: t.count, lessons: l.count, devicesUnbound: unbound)
        }
        registryCache.invalidate()
        return outcome
    }

    /// The cached registry while the stored generation is unchanged (one single-row query); otherwise
    /// read in one read-only REPEATABLE READ transaction, so the rows are labelled with the generation
    /// of their own snapshot even while another collector imports, and kept.
    public func registry() async throws -> Registry {
        if let cached = registryCache.registry(at: try await registryGeneration()) { return cached }
        let logger = logger
        let (generation, registry) = try await transaction { c in
            try await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            let generation = try await Self.registryGeneration(c, logger: logger)
            return (generation, try await Self.readRegistry(c, logger: logger))
        }
        registryCache.keep(registry, at: generation)
        return registry
    }

    /// The stored registry generation (``RegistryGenerationSchema``).
    func registryGeneration() async throws -> Int64 {
        try await rows(PostgresQuery(unsafeSQL: RegistryGenerationSchema.read)).first
            .map { try $0["generation"].decode(Int64.self) } ?? 0
    }

    static func registryGeneration(_ c: PostgresConnection, logger: Logger) async throws -> Int64 {
        try await c.query(PostgresQuery(unsafeSQL: RegistryGenerationSchema.read), logger: logger).collect().first
            .map { try $0.decode(Int64.self) } ?? 0
    }

    static func rows(_ c: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws
        -> [PostgresRandomAccessRow]
    {
        try await c.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    static func readRegistry(_ c: PostgresConnection, logger: Logger) async throws -> Registry {
        let schools = try await rows(c, "SELECT * FROM schools ORDER BY id", logger: logger).map { row in
            School(
                id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
                county: try row["county"].decode(String.self), township: try row["township"].decode(String.self),
                primary: .init(classes: try Self.int(row, "primary_classes"), students: try Self.int(row, "primary_students")),
                junior: .init(classes: try Self.int(row, "junior_classes"), students: try Self.int(row, "junior_students")),
                high: .init(classes: try Self.int(row, "high_classes"), students: try Self.int(row, "high_students"))
            ).declaring(try SchoolResourceSchema.resources { column in try row[column].decode(Double?.self) })
        }
        let rooms = try await rows(c, "SELECT * FROM rooms ORDER BY id", logger: logger).map {
            Room(
                id: try $0["id"].decode(String.self), schoolID: try $0["school_id"].decode(String.self),
                name: try $0["name"].decode(String.self), kind: RoomKind(rawValue: try $0["kind"].decode(String.self)) ?? .other,
                stage: RoomStage(rawValue: try $0["stage"].decode(String.self)) ?? .shared,
                className: try $0["class_name"].decode(String.self),
                declared: RegistryRows.declared(try $0["declared"].decode(String?.self)))
        }
        let teachers = try await rows(c, "SELECT * FROM teachers ORDER BY id", logger: logger).map {
            Teacher(
                id: try $0["id"].decode(String.self), schoolID: try $0["school_id"].decode(String.self),
                name: try $0["name"].decode(String.self), subjects: RegistryRows.subjects(try $0["subjects"].decode(String.self)),
                position: try $0["position"].decode(String?.self).flatMap(TeacherPosition.init(rawValue:)))
        }
        // Millions of rows in a province: streamed and read by column position from the cells' bytes, not
        // collected and looked up by column name (51–62 s and most of 6 GB for 7.2 million lessons).
        var lessons: [Lesson] = []
        var text = RepeatedText()
        for try await row in try await c.query(
            "SELECT school_id, room_id, teacher_id, weekday, start_minute, end_minute, subject FROM lessons", logger: logger
        ) {
            var cells = row.makeIterator()
            guard let school = cells.next(), let room = cells.next(), let teacher = cells.next(),
                let weekday = cells.next(), let start = cells.next(), let end = cells.next(), let subject = cells.next()
            else { throw StoreError(code: "lessons", message: "a lessons row did not have its columns") }
            lessons.append(
                Lesson(
                    schoolID: try text.string(school, 0), roomID: try text.string(room, 1),
                    teacherID: try text.string(teacher, 2), weekday: Int(try Self.int64(weekday)),
                    start: TimeOfDay(minutes: Int(try Self.int64(start))), end: TimeOfDay(minutes: Int(try Self.int64(end))),
                    subject: try text.string(subject, 3)))
        }
        return RegistryRows.canonical(
            Registry(
                schools: schools, rooms: rooms, teachers: teachers, lessons: lessons,
                calendar: try await termCalendar(c, logger: logger)))
    }

    /// The cached registry's calendar while the generation is unchanged; otherwise the calendar rows alone.
    public func termCalendar() async throws -> TermCalendar? {
        if let cached = registryCache.registry(at: try await registryGeneration()) { return cached.calendar }
        let logger = logger
        return try await client.withConnection { c in try await Self.termCalendar(c, logger: logger) }
    }

    static func termCalendar(_ c: PostgresConnection, logger: Logger) async throws -> TermCalendar? {
        TermCalendarSchema.calendar(
            try await rows(c, "SELECT date, kind, note, timetable_weekday FROM calendar_days ORDER BY date", logger: logger).map {
                (
                    date: try $0["date"].decode(String.self), kind: try $0["kind"].decode(String.self),
                    note: try $0["note"].decode(String.self),
                    timetableWeekday: try $0["timetable_weekday"].decode(Int64?.self).map { Int($0) }
                )
            })
    }

    static func int(_ row: PostgresRandomAccessRow, _ column: String) throws -> Int { Int(try row[column].decode(Int64.self)) }

    public func schoolOfRoom(_ roomID: String) async throws -> String? {
        try await rows("SELECT school_id FROM rooms WHERE id = \(roomID)").first.map { try $0["school_id"].decode(String.self) }
    }

    public func schoolExists(_ schoolID: String) async throws -> Bool {
        try await !rows("SELECT 1 FROM schools WHERE id = \(schoolID)").isEmpty
    }
}

extension CollectorPostgresStore {
    /// Sets the declared resources of the schools just inserted, one array per column; a blank is sent
    /// as NaN and stored as NULL (PostgreSQL compares NaN equal to itself, so `NULLIF` finds it).
    static func schoolResourcesUpdate(_ schools: [School]) -> PostgresQuery {
        let columns = SchoolResourceSchema.columns
        var binds = PostgresBindings(capacity: columns.count + 1)
        binds.append(schools.map(\.id))
        for c in columns { binds.append(schools.map { $0[c.stage].resources[c.resource] ?? .nan }) }
        let sets = columns.enumerated().map { "\($0.element.name) = NULLIF(v.c\($0.offset), 'NaN'::float8)" }
        let arrays = (0..<columns.count).map { "$\($0 + 2)::float8[]" }
        let names = (0..<columns.count).map { "c\($0)" }
        return PostgresQuery(
            unsafeSQL: """
                UPDATE schools SET \(sets.joined(separator: ", "))
                FROM UNNEST($1::text[], \(arrays.joined(separator: ", "))) AS v (id, \(names.joined(separator: ", ")))
                WHERE schools.id = v.id
                """, binds: binds)
    }
}
