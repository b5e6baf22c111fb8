import ClassroomSamples
import Testing

@testable import ClassroomCore

@Suite("The lessons by room kept with a registry")
struct RoomLessonsTests {
    @Test("every lesson once, under its room, in registry order; a room without lessons has none")
    func groupsEveryLesson() {
        let registry = SampleCounty(schools: 6, seed: 3).generate()
        let index = registry.roomLessons
        var seen = 0
        for room in registry.rooms {
            let indices = index.lessons(ofRoom: room.id).map(Int.init)
            #expect(indices == registry.lessons.indices.filter { registry.lessons[$0].roomID == room.id }, "\(room.id)")
            seen += indices.count
        }
        #expect(seen == registry.lessons.count)
        #expect(index.lessons(ofRoom: "no-such-room").isEmpty)
        #expect(index.roomCount == Set(registry.lessons.map(\.roomID)).count)
        #expect(RoomLessons([]).lessons(ofRoom: "R1").isEmpty)
    }

    @Test("setting the lessons replaces the index; the copy that kept its lessons keeps its own")
    func followsTheLessons() {
        let original = SampleCounty(schools: 2, seed: 5).generate()
        let room = original.lessons[0].roomID
        let before = original.roomLessons.lessons(ofRoom: room).count
        var changed = original
        changed.lessons.removeAll { $0.roomID == room }
        #expect(changed.roomLessons.lessons(ofRoom: room).isEmpty)
        #expect(original.roomLessons.lessons(ofRoom: room).count == before)
        changed.lessons.append(original.lessons[0])
        #expect(changed.roomLessons.lessons(ofRoom: room).map(Int.init) == [changed.lessons.count - 1])
    }

    @Test("each lesson's teacher is the first registry teacher with its id; a lesson of no teacher has none")
    func lessonTeachers() {
        var registry = SampleCounty(schools: 3, seed: 4).generate()
        let first = registry.teachers[0]
        // A later teacher with the first one's id, and a lesson of a teacher the registry lacks.
        registry.teachers.append(Teacher(id: first.id, schoolID: "elsewhere", name: "later", subjects: []))
        var stray = registry.lessons[0]
        stray.teacherID = "no-such-teacher"
        registry.lessons.append(stray)
        let teacherOf = registry.lessonTeachers
        for (i, l) in registry.lessons.enumerated() {
            let expected = registry.teachers.firstIndex { $0.id == l.teacherID }
            #expect(teacherOf[lesson: i] == expected, "lesson \(i) of \(l.teacherID)")
        }
        #expect(teacherOf[lesson: registry.lessons.count - 1] == nil)
    }

    @Test("the loader gives each lesson's teacher as it found it: the index looked up, and the same summary")
    func loadedLessonTeachers() throws {
        var generated = SampleCounty(schools: 4, seed: 8).generate()
        // A teacher of one school teaching in another (走教), and one with no lesson.
        let elsewhere = try #require(generated.schools.first { $0.id != generated.lessons[0].schoolID })
        let other = Teacher(id: "T-walk", schoolID: elsewhere.id, name: "走", subjects: [])
        generated.teachers.append(other)
        generated.lessons[0].teacherID = other.id
        generated.teachers.append(Teacher(id: "T-idle", schoolID: generated.schools[0].id, name: "闲", subjects: []))
        let loaded = try RegistryLoader.load(RegistryCSVWriter.files(generated)).registry
        let given = try #require(loaded.lessonTeachersIfBuilt)
        let looked = LessonTeachers(lessons: loaded.lessons, teachers: loaded.teachers)
        #expect(loaded.lessons.indices.allSatisfy { given[lesson: $0] == looked[lesson: $0] })
        #expect(given[lesson: 0].map { loaded.teachers[$0].id } == other.id)
        // Without the loader's index (the lessons set again), the summary looks the ids up: the same count.
        var rebuilt = loaded
        rebuilt.lessons = loaded.lessons
        #expect(rebuilt.lessonTeachersIfBuilt == nil)
        let withoutLessons = RegistrySummary.teachersWithoutLessons(loaded)
        #expect(withoutLessons == RegistrySummary.teachersWithoutLessons(rebuilt))
        #expect(withoutLessons == loaded.teachers.filter { t in !loaded.lessons.contains { $0.teacherID == t.id } }.count)
        #expect(withoutLessons >= 1)
    }

    @Test("changing the teachers, set or in place, replaces the lessons' teachers")
    func lessonTeachersFollowTheTeachers() {
        var registry = SampleCounty(schools: 2, seed: 6).generate()
        let teacher = registry.lessons[0].teacherID
        let before = registry.lessonTeachers[lesson: 0]
        #expect(before != nil)
        registry.teachers.removeAll { $0.id == teacher }
        #expect(registry.lessonTeachers[lesson: 0] == nil)
        let kept = registry
        registry.teachers = [Teacher(id: teacher, schoolID: "S", name: "back", subjects: [])] + registry.teachers
        #expect(registry.lessonTeachers[lesson: 0] == 0)
        #expect(kept.lessonTeachers[lesson: 0] == nil)
    }

    @Test("a lesson appended in place does not copy the lessons (a province appends 7.2 million)")
    func appendsInPlace() {
        var registry = Registry(schools: [], rooms: [], teachers: [], lessons: [])
        registry.lessons.reserveCapacity(4)
        let lesson = SampleCounty(schools: 1, seed: 2).generate().lessons[0]
        let before = registry.lessons.withUnsafeBufferPointer { $0.baseAddress }
        registry.lessons.append(lesson)
        registry.lessons.append(lesson)
        #expect(registry.lessons.withUnsafeBufferPointer { $0.baseAddress } == before)
        #expect(registry.roomLessons.lessons(ofRoom: lesson.roomID).map(Int.init) == [0, 1])
    }

    @Test("a registry's value ignores whether its index was built")
    func valueIgnoresTheIndex() {
        let a = SampleCounty(schools: 2, seed: 8).generate()
        let b = SampleCounty(schools: 2, seed: 8).generate()
        _ = a.roomLessons
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        var c = b
        c.calendar = nil
        #expect((c == b) == (b.calendar == nil))
    }

    @Test("the eligible teachers walked through the index equal a walk of every lesson", arguments: [1, 2, 3])
    func eligibilityMatchesAFullWalk(seed: UInt64) {
        let registry = SampleCounty(schools: 12, seed: seed).generate()
        var rng = SeededGenerator(seed: seed)
        let rooms = Set(registry.rooms.filter { _ in Bool.random(using: &rng) }.map(\.id) + ["not-a-room"])
        let week = ISOWeek(year: 2026, week: 47)
        let eligibility = SpotCheckEligibility(week: week, eligibleRooms: rooms)
        let teachers = eligibility.teachers(of: registry)
        // The same teachers and lessons, each teacher's in registry order, from every lesson.
        let runsOn = SpotCheckEligibility.weekdaysRunning(in: week, calendar: registry.schoolCalendar)
        var expected: [String: [SpotCheckLesson]] = [:]
        for l in registry.lessons where rooms.contains(l.roomID) && (1...7).contains(l.weekday) {
            for day in registry.schoolCalendar.restricts ? runsOn[l.weekday] : [l.weekday] {
                expected[l.teacherID, default: []].append(
                    SpotCheckLesson(roomID: l.roomID, weekday: day, start: l.start, end: l.end, subject: l.subject))
            }
        }
        #expect(!teachers.isEmpty)
        #expect(Dictionary(uniqueKeysWithValues: teachers.map { ($0.id, $0.lessons) }) == expected)
    }
}
