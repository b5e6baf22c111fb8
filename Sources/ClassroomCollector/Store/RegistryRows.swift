import ClassroomCore

/// Flattening of registry values into table columns, shared by both stores.
enum RegistryRows {
    static func declared(_ set: Set<DeclaredEquipment>?) -> String? {
        set.map { $0.map(\.rawValue).sorted().joined(separator: ";") }
    }

    static func declared(_ text: String?) -> Set<DeclaredEquipment>? {
        guard let text else { return nil }
        return Set(text.split(separator: ";").compactMap { DeclaredEquipment(rawValue: String($0)) })
    }

    static func subjects(_ list: [String]) -> String { list.joined(separator: ";") }
    static func subjects(_ text: String) -> [String] { text.isEmpty ? [] : text.split(separator: ";").map(String.init) }

    /// Orders a registry the way both stores return it, so that round trips compare equal.
    ///
    /// Both stores insert in this order, so a read usually comes back sorted already: each list is
    /// checked in one pass and sorted only when it is not (a province's 7 million lessons took ~10 s
    /// to sort on every coverage report).
    static func canonical(_ r: Registry) -> Registry {
        Registry(
            schools: inOrder(r.schools) { $0.id < $1.id }, rooms: inOrder(r.rooms) { $0.id < $1.id },
            teachers: inOrder(r.teachers) { $0.id < $1.id },
            lessons: inOrder(r.lessons) {
                ($0.schoolID, $0.roomID, $0.weekday, $0.start.minutes, $0.teacherID)
                    < ($1.schoolID, $1.roomID, $1.weekday, $1.start.minutes, $1.teacherID)
            }, calendar: r.calendar)
    }

    /// The registry as a round trip through the tables gives it back: ordered (``canonical(_:)``),
    /// subjects split at `;`, declared resources of the compulsory stages only (a NaN is a blank), and
    /// no calendar when it has no days. ``InMemoryRepositories`` keeps this, so that it answers as the stores.
    static func stored(_ r: Registry) -> Registry {
        var r = canonical(r)
        r.schools = r.schools.map { school in
            let columns: [String: Double] = Dictionary(
                uniqueKeysWithValues: SchoolResourceSchema.columns.compactMap { c in
                    school[c.stage].resources[c.resource].flatMap { $0.isNaN ? nil : (c.name, $0) }
                })
            var s = school
            s.high.resources = [:]  // no columns
            return s.declaring(SchoolResourceSchema.resources { columns[$0] })
        }
        r.teachers = r.teachers.map { teacher in
            var t = teacher
            t.subjects = subjects(subjects(teacher.subjects))
            return t
        }
        r.calendar = r.calendar.flatMap { $0.days.isEmpty ? nil : TermCalendar(days: $0.days) }
        return r
    }

    /// A key the tables hold once that `r` holds twice (a school, room or teacher id, a calendar
    /// date), described for an error; nil when there is none.
    static func duplicateKey(in r: Registry) -> String? {
        func first<T>(_ what: String, _ keys: [T], _ name: (T) -> String) -> String? {
            var seen = Set<String>()
            return keys.map(name).first { !seen.insert($0).inserted }.map { "\(what) '\($0)'" }
        }
        return first("school", r.schools, \.id) ?? first("room", r.rooms, \.id) ?? first("teacher", r.teachers, \.id)
            ?? first("calendar day", r.calendar?.days ?? [], \.date.description)
    }

    /// `list` stably sorted by `less`, without sorting when it already is.
    static func inOrder<T>(_ list: [T], by less: (T, T) -> Bool) -> [T] {
        var i = 1
        while i < list.count, !less(list[i], list[i - 1]) { i += 1 }
        return i >= list.count ? list : list.sorted(by: less)
    }
}
