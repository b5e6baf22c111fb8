/// A prefecture's registry holds several counties (the `county` column of `schools.csv`); these
/// helpers split it, so that a county's figures and its between-school balance (差异系数) are
/// computed over that county's schools only.
extension Registry {
    /// The counties of the registry, in order of their first school.
    public var counties: [String] {
        var seen: Set<String> = []
        return schools.map(\.county).filter { seen.insert($0).inserted }
    }

    /// The part of the registry in `county`: its schools, their rooms, teachers and lessons; the
    /// calendar is shared. A county that is not in the registry gives an empty registry.
    ///
    /// - Important: a lesson is kept by the school it is timetabled in (`Lesson.schoolID`), so a
    ///   teacher teaching in a school of another county (走教) appears in that county's lessons.
    public func filtered(county: String) -> Registry {
        let ids = Set(schools.lazy.filter { $0.county == county }.map(\.id))
        return Registry(
            schools: schools.filter { ids.contains($0.id) }, rooms: rooms.filter { ids.contains($0.schoolID) },
            teachers: teachers.filter { ids.contains($0.schoolID) }, lessons: lessons.filter { ids.contains($0.schoolID) },
            calendar: calendar)
    }

    /// The ids of the schools of `county` (a county admin's scope).
    public func schoolIDs(inCounty county: String) -> Set<String> {
        Set(schools.lazy.filter { $0.county == county }.map(\.id))
    }
}
