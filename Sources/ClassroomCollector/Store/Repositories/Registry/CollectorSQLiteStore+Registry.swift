import ClassroomCore
import GRDB

extension CollectorSQLiteStore {

    public func replaceRegistry(_ r: Registry, audit: AuditEntry) async throws -> RegistryReplaceOutcome {
        let r = RegistryRows.canonical(r)  // stored in the order reads return it
        let outcome = try await pool.write { db in
            try db.execute(sql: RegistryGenerationSchema.bump)  // rolls back with the rest on failure
            for table in ["lessons", "teachers", "rooms", "schools", "calendar_days"] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            for d in r.calendar?.days ?? [] {
                try db.execute(
                    sql: "INSERT INTO calendar_days (date, kind, note, timetable_weekday) VALUES (?, ?, ?, ?)",
                    arguments: [d.date.description, d.kind.rawValue, d.note, d.timetableWeekday])
            }
            let resourceColumns = SchoolResourceSchema.columns
            let schoolInsert = """
                INSERT INTO schools (id, name, county, township, primary_classes, primary_students, junior_classes,
                  junior_students, high_classes, high_students, \(resourceColumns.map(\.name).joined(separator: ", ")))
                VALUES (\(Array(repeating: "?", count: 10 + resourceColumns.count).joined(separator: ", ")))
                """
            for s in r.schools {
                let base: [(any DatabaseValueConvertible)?] = [
                    s.id, s.name, s.county, s.township, s.primary.classes, s.primary.students, s.junior.classes,
                    s.junior.students, s.high.classes, s.high.students,
                ]
                try db.execute(
                    sql: schoolInsert,
                    arguments: StatementArguments(
                        base + resourceColumns.map { s[$0.stage].resources[$0.resource] as (any DatabaseValueConvertible)? }))
            }
            for room in r.rooms {
                try db.execute(
                    sql: "INSERT INTO rooms VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        room.id, room.schoolID, room.name, room.kind.rawValue, room.stage.rawValue, room.className,
                        RegistryRows.declared(room.declared),
                    ])
            }
            for t in r.teachers {
                try db.execute(
                    sql: "INSERT INTO teachers (id, school_id, name, subjects, position) VALUES (?, ?, ?, ?, ?)",
                    arguments: [t.id, t.schoolID, t.name, RegistryRows.subjects(t.subjects), t.position?.rawValue])
            }
            for l in r.lessons {
                try db.execute(
                    sql: "INSERT INTO lessons VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [l.schoolID, l.roomID, l.teacherID, l.weekday, l.start.minutes, l.end.minutes, l.subject])
            }
            // A device stays bound while its room exists in the same school; otherwise it keeps its
            // credential but loses its room until re-enrolled.
            try db.execute(
                sql: """
                    UPDATE devices SET room_id = NULL WHERE room_id IS NOT NULL AND NOT EXISTS
                      (SELECT 1 FROM rooms WHERE rooms.id = devices.room_id AND rooms.school_id = devices.school_id)
                    """)
            let unbound = db.changesCount
            try Self.insertAudit(db, audit)
            return RegistryReplaceOutcome(
                schools: r.schools.count, rooms: r.rooms.count, teachers: r.teachers.count, lessons: r.lessons.count,
                devicesUnbound: unbound)
        }
        registryCache.invalidate()
        return outcome
    }

    /// The cached registry while the stored generation is unchanged; otherwise read (generation and
    /// rows in one read transaction, so the snapshot is labelled with its own generation) and kept.
    public func registry() async throws -> Registry {
        try await pool.read { db in
            let generation = try Self.registryGeneration(db)
            if let cached = registryCache.registry(at: generation) { return cached }
            let registry = try Self.readRegistry(db)
            registryCache.keep(registry, at: generation)
            return registry
        }
    }

    /// The stored registry generation (``RegistryGenerationSchema``).
    func registryGeneration() async throws -> Int64 {
        try await pool.read { db in try Self.registryGeneration(db) }
    }

    static func registryGeneration(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: RegistryGenerationSchema.read) ?? 0
    }

    static func readRegistry(_ db: Database) throws -> Registry {
        let schools = try Row.fetchAll(db, sql: "SELECT * FROM schools ORDER BY id").map { row in
            School(
                id: row["id"], name: row["name"], county: row["county"], township: row["township"],
                primary: .init(classes: row["primary_classes"], students: row["primary_students"]),
                junior: .init(classes: row["junior_classes"], students: row["junior_students"]),
                high: .init(classes: row["high_classes"], students: row["high_students"])
            ).declaring(SchoolResourceSchema.resources { column in row[column] as Double? })
        }
        let rooms = try Row.fetchAll(db, sql: "SELECT * FROM rooms ORDER BY id").map {
            Room(
                id: $0["id"], schoolID: $0["school_id"], name: $0["name"], kind: RoomKind(rawValue: $0["kind"]) ?? .other,
                stage: RoomStage(rawValue: $0["stage"]) ?? .shared, className: $0["class_name"],
                declared: RegistryRows.declared($0["declared"] as String?))
        }
        let teachers = try Row.fetchAll(db, sql: "SELECT * FROM teachers ORDER BY id").map {
            Teacher(
                id: $0["id"], schoolID: $0["school_id"], name: $0["name"], subjects: RegistryRows.subjects($0["subjects"]),
                position: ($0["position"] as String?).flatMap(TeacherPosition.init(rawValue:)))
        }
        // Millions of rows in a province: read through a cursor by column position, not as an array of rows.
        var lessons: [Lesson] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT school_id, room_id, teacher_id, weekday, start_minute, end_minute, subject FROM lessons")
        while let row = try rows.next() {
            lessons.append(
                Lesson(
                    schoolID: row[0], roomID: row[1], teacherID: row[2], weekday: row[3], start: TimeOfDay(minutes: row[4]),
                    end: TimeOfDay(minutes: row[5]), subject: row[6]))
        }
        return RegistryRows.canonical(
            Registry(
                schools: schools, rooms: rooms, teachers: teachers, lessons: lessons, calendar: try Self.termCalendar(db)))
    }

    /// The cached registry's calendar while the generation is unchanged; otherwise the calendar rows alone.
    public func termCalendar() async throws -> TermCalendar? {
        try await pool.read { db in
            if let cached = registryCache.registry(at: try Self.registryGeneration(db)) { return cached.calendar }
            return try Self.termCalendar(db)
        }
    }

    static func termCalendar(_ db: Database) throws -> TermCalendar? {
        TermCalendarSchema.calendar(
            try Row.fetchAll(db, sql: "SELECT date, kind, note, timetable_weekday FROM calendar_days ORDER BY date").map {
                (date: $0[0], kind: $0[1], note: $0[2], timetableWeekday: $0[3])
            })
    }

    public func schoolOfRoom(_ roomID: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT school_id FROM rooms WHERE id = ?", arguments: [roomID])
        }
    }

    public func schoolExists(_ schoolID: String) async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM schools WHERE id = ?)", arguments: [schoolID]) ?? false
        }
    }
}
