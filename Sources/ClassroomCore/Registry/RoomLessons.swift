import Synchronization

/// A registry's lessons grouped by room: for each room id, the indices of its lessons in
/// ``Registry/lessons``, ascending. Built in one pass over the lessons (one hash of a room id each), and
/// kept with the registry (``Registry/roomLessons``), so that work on a few rooms — the draw's eligible
/// rooms, the usage counter's equipped rooms — walks their lessons only instead of hashing the room id
/// of each of a province's 7.2 million lessons on every request.
public struct RoomLessons: Sendable {
    /// Room id → the part of ``order`` holding its lessons' indices.
    private let ranges: [String: Range<Int>]
    /// Indices into the lessons, room by room, each room's ascending.
    private let order: [Int32]

    /// The index of `lessons` (at most `Int32.max` of them).
    public init(_ lessons: [Lesson]) {
        var slotOfRoom: [String: Int] = [:]
        var rooms: [String] = []
        var counts: [Int] = []
        var slots = [Int32](repeating: 0, count: lessons.count)
        for (i, lesson) in lessons.enumerated() {
            let slot: Int
            if let s = slotOfRoom[lesson.roomID] {
                slot = s
            } else {
                slot = rooms.count
                slotOfRoom[lesson.roomID] = slot
                rooms.append(lesson.roomID)
                counts.append(0)
            }
            counts[slot] += 1
            slots[i] = Int32(truncatingIfNeeded: slot)
        }
        var next = [Int](repeating: 0, count: rooms.count)
        var ranges: [String: Range<Int>] = [:]
        ranges.reserveCapacity(rooms.count)
        var start = 0
        for (slot, room) in rooms.enumerated() {
            next[slot] = start
            ranges[room] = start..<(start + counts[slot])
            start += counts[slot]
        }
        var order = [Int32](repeating: 0, count: lessons.count)
        for i in lessons.indices {
            let slot = Int(slots[i])
            order[next[slot]] = Int32(truncatingIfNeeded: i)
            next[slot] += 1
        }
        self.ranges = ranges
        self.order = order
    }

    /// The indices in ``Registry/lessons`` of room `id`'s lessons, ascending; empty for a room without
    /// lessons or not in the registry.
    public func lessons(ofRoom id: String) -> ArraySlice<Int32> {
        guard let range = ranges[id] else { return [] }
        return order[range]
    }

    /// How many rooms have lessons.
    public var roomCount: Int { ranges.count }
}

/// For each of a registry's lessons, the index in ``Registry/teachers`` of its teacher (the first
/// teacher with its id), or -1 when no teacher has it. Built in one pass (one hash of a teacher id per
/// lesson) and kept with the registry (``Registry/lessonTeachers``), so that the draw groups the eligible
/// lessons by teacher without hashing a teacher id per lesson on every draw.
public struct LessonTeachers: Sendable {
    private let ordinals: [Int32]

    /// The index of `lessons` into `teachers` (at most `Int32.max` of them).
    public init(lessons: [Lesson], teachers: [Teacher]) {
        var first: [String: Int32] = [:]
        first.reserveCapacity(teachers.count)
        for (k, t) in teachers.enumerated() where first[t.id] == nil { first[t.id] = Int32(truncatingIfNeeded: k) }
        ordinals = lessons.map { first[$0.teacherID] ?? -1 }
    }

    /// The index as the registry's loader found it while checking the timetable (each lesson's teacher's
    /// first place in the teachers), so that it is not looked up again by id.
    init(ordinals: [Int32]) { self.ordinals = ordinals }

    /// The index in ``Registry/teachers`` of lesson `i`'s teacher, nil when the registry has no such teacher.
    public subscript(lesson i: Int) -> Int? {
        let k = ordinals[i]
        return k < 0 ? nil : Int(k)
    }
}

/// What a registry computes from its lessons once and keeps while they are unchanged: shared by the
/// copies of a registry value, replaced when its lessons are set (``Registry/lessons``'s `didSet`).
final class RegistryDerived: Sendable {
    private let roomLessons = Mutex<RoomLessons?>(nil)
    private let lessonTeachers = Mutex<LessonTeachers?>(nil)

    /// The teachers' index when it was already built or given (``seed(_:)``); nil otherwise.
    var lessonTeachersIfBuilt: LessonTeachers? { lessonTeachers.withLock { $0 } }

    /// Gives the teachers' index that the loader found, before anyone asks for it.
    func seed(_ index: LessonTeachers) { lessonTeachers.withLock { $0 = index } }

    /// The teachers of `lessons`, built on first use (under its lock, as ``roomLessons(of:)``).
    func lessonTeachers(of lessons: [Lesson], teachers: [Teacher]) -> LessonTeachers {
        lessonTeachers.withLock { cached in
            if let cached { return cached }
            let built = LessonTeachers(lessons: lessons, teachers: teachers)
            cached = built
            return built
        }
    }

    /// The index of `lessons`, built on first use (under the lock: concurrent first uses wait for one build).
    func roomLessons(of lessons: [Lesson]) -> RoomLessons {
        roomLessons.withLock { cached in
            if let cached { return cached }
            let built = RoomLessons(lessons)
            cached = built
            return built
        }
    }
}
