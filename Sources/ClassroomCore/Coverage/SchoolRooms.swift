/// A registry's rooms grouped by school, as room ordinals (indices in ``Registry/rooms``): built in one
/// pass per report, so that the per-school figures read their rooms by index instead of copying
/// 233,000 `Room` values into a dictionary keyed by school id.
///
/// Schools sharing an id (an invalid registry; the loader refuses one) share their rooms, as they
/// did when the rooms were looked up by school id: each school maps to the last school of its id.
struct SchoolRooms: Sendable {
    /// School ordinal → the ordinal of the last school with the same id (itself in a valid registry).
    let canonical: [Int]
    /// Room ordinal → the canonical ordinal of its school; nil for a room of no registered school.
    let schoolOfRoom: [Int32?]
    /// Canonical school ordinal → the part of ``order`` holding its rooms.
    private let starts: [Int]
    /// Room ordinals, school by school, each school's in registry order.
    private let order: [Int32]

    init(schools: [School], rooms: [Room]) {
        var ordinalOfID: [String: Int] = [:]
        ordinalOfID.reserveCapacity(schools.count)
        for (s, school) in schools.enumerated() { ordinalOfID[school.id] = s }
        canonical = schools.map { ordinalOfID[$0.id]! }
        // Rooms come school by school in a registry: hash a school id only where it changes.
        var schoolOfRoom = [Int32?](repeating: nil, count: rooms.count)
        var counts = [Int](repeating: 0, count: schools.count + 1)
        var lastID: String?
        var lastSchool: Int?
        for r in rooms.indices {
            if rooms[r].schoolID != lastID {
                lastID = rooms[r].schoolID
                lastSchool = ordinalOfID[rooms[r].schoolID]
            }
            guard let s = lastSchool else { continue }
            schoolOfRoom[r] = Int32(truncatingIfNeeded: s)
            counts[s + 1] += 1
        }
        for s in schools.indices { counts[s + 1] += counts[s] }
        var next = counts
        var order = [Int32](repeating: 0, count: counts[schools.count])
        for r in rooms.indices {
            guard let s = schoolOfRoom[r] else { continue }
            order[next[Int(s)]] = Int32(truncatingIfNeeded: r)
            next[Int(s)] += 1
        }
        self.schoolOfRoom = schoolOfRoom
        self.starts = counts
        self.order = order
    }

    /// The ordinals of school `s`'s rooms, in registry order.
    func rooms(ofSchool s: Int) -> ArraySlice<Int32> {
        let c = canonical[s]
        return order[starts[c]..<starts[c + 1]]
    }
}
