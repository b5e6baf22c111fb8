import Testing

@testable import ClassroomCore

/// ``SchoolRooms`` against the plain computation it replaces (a school's rooms are the registry's rooms
/// with its id, in registry order) on seeded random registries: rooms out of school order, rooms of
/// no registered school, schools without rooms, and a repeated school id.
@Suite struct SchoolRoomsTests {
    @Test("a school's rooms and a room's school match a filter by id", arguments: 1...20)
    func matchesFilter(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var schools = (0..<Int.random(in: 1...30, using: &rng)).map {
            School(id: "S\($0)", name: "school \($0)", county: "县", township: "镇")
        }
        if seed.isMultiple(of: 4) { schools.append(schools[0]) }  // a repeated id
        let ids = schools.map(\.id) + ["unregistered"]
        var rooms = (0..<Int.random(in: 0...200, using: &rng)).map { n in
            Room(id: "R\(n)", schoolID: ids.randomElement(using: &rng)!, name: "\(n)", kind: .classroom, stage: .primary)
        }
        // Half of the registries school by school, as a loaded one; the other half in any order.
        if seed.isMultiple(of: 2) { rooms.sort { ids.firstIndex(of: $0.schoolID)! < ids.firstIndex(of: $1.schoolID)! } }

        let index = SchoolRooms(schools: schools, rooms: rooms)

        for (s, school) in schools.enumerated() {
            #expect(index.rooms(ofSchool: s).map(Int.init) == rooms.indices.filter { rooms[$0].schoolID == school.id })
            #expect(schools[index.canonical[s]].id == school.id)
            #expect(index.canonical[s] == schools.lastIndex { $0.id == school.id })
        }
        for r in rooms.indices {
            let school = index.schoolOfRoom[r].map { schools[Int($0)].id }
            #expect(school == (rooms[r].schoolID == "unregistered" ? nil : rooms[r].schoolID))
        }
    }
}
