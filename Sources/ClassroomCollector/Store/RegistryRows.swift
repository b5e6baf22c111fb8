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
    static func canonical(_ r: Registry) -> Registry {
        Registry(
            schools: r.schools.sorted { $0.id < $1.id }, rooms: r.rooms.sorted { $0.id < $1.id },
            teachers: r.teachers.sorted { $0.id < $1.id },
            lessons: r.lessons.sorted {
                ($0.schoolID, $0.roomID, $0.weekday, $0.start.minutes, $0.teacherID)
                    < ($1.schoolID, $1.roomID, $1.weekday, $1.start.minutes, $1.teacherID)
            })
    }
}
