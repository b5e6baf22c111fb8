import Testing

@testable import ClassroomCore

@Suite struct SpotCheckEligibilityTests {
    static func lesson(_ school: String, _ room: String, _ teacher: String, _ day: Int, _ start: Int, _ end: Int) -> Lesson {
        Lesson(
            schoolID: school, roomID: room, teacherID: teacher, weekday: day, start: TimeOfDay(minutes: start),
            end: TimeOfDay(minutes: end), subject: "语文")
    }

    static let registry = Registry(
        schools: [
            School(id: "S1", name: "一小", county: "鲁甸县", township: "文屏镇", primary: StageEnrollment(classes: 6, students: 240)),
            School(id: "S2", name: "二小", county: "鲁甸县", township: "龙头山镇", primary: StageEnrollment(classes: 6, students: 200)),
        ],
        rooms: [
            Room(id: "R1", schoolID: "S1", name: "录播教室", kind: .recording, stage: .shared),
            Room(id: "R2", schoolID: "S1", name: "一年级1班", kind: .classroom, stage: .primary, className: "一年级1班"),
            Room(id: "R3", schoolID: "S2", name: "录播教室", kind: .recording, stage: .shared),
        ],
        teachers: [
            Teacher(id: "T1", schoolID: "S1", name: "张伟", subjects: ["语文"]),
            Teacher(id: "T2", schoolID: "S1", name: "李娜", subjects: ["英语"]),
            // Teaches at S2 (走教) but counts for S1, the school of teachers.csv.
            Teacher(id: "T3", schoolID: "S1", name: "王芳", subjects: ["数学"]),
        ],
        lessons: [
            lesson("S1", "R1", "T1", 1, 480, 520), lesson("S1", "R2", "T1", 2, 480, 520),
            lesson("S1", "R2", "T2", 1, 480, 520),  // only in a plain classroom: not eligible
            lesson("S2", "R3", "T3", 3, 600, 640),
            lesson("S2", "R3", "T9", 4, 600, 640),  // a teacher the registry does not know
        ])

    @Test func recordingClassroomsMakeTeachersEligibleWithThoseLessonsOnly() {
        let rooms = SpotCheckEligibility.recordingRooms(of: Self.registry)
        #expect(rooms == ["R1", "R3"])
        let snapshot = SpotCheckEligibility(week: SpotCheckFixtures.week, eligibleRooms: rooms).snapshot(of: Self.registry)
        #expect(snapshot.teachers.map(\.id) == ["T1", "T3"])
        #expect(snapshot.teachers[0].lessons.map(\.roomID) == ["R1"])
        #expect(snapshot.teachers[1].schoolID == "S1")
        #expect(snapshot.schoolCount == 1 && snapshot.lessonCount == 2)

        let all = SpotCheckEligibility(
            week: SpotCheckFixtures.week, eligibleRooms: SpotCheckEligibility.allRooms(of: Self.registry))
        #expect(all.snapshot(of: Self.registry).teachers.map(\.id) == ["T1", "T2", "T3"])
        #expect(SpotCheckEligibility(week: SpotCheckFixtures.week, eligibleRooms: []).snapshot(of: Self.registry) == .empty)
    }

    @Test func anUnvalidatedRegistryLosesItsBadLessonsInsteadOfTrapping() {
        var registry = Self.registry
        registry.lessons.append(Self.lesson("S1", "R1", "T2", 9, 480, 520))  // no weekday 9
        registry.lessons.append(Self.lesson("S1", "R1", "T2", 2, 520, 480))  // ends before it starts
        registry.lessons.append(Self.lesson("S1", "R1", "T3", 2, 700, 740))
        let snapshot = SpotCheckEligibility(week: SpotCheckFixtures.week, eligibleRooms: ["R1", "R3"]).snapshot(of: registry)
        #expect(snapshot.teachers.map(\.id) == ["T1", "T3"])
        #expect(snapshot.teachers[1].lessons.map(\.weekday) == [2, 3])
    }

    @Test func theDigestCoversEveryFieldOfTheSnapshot() throws {
        let base = try SpotCheckFixtures.snapshot(teachersPerSchool: [2, 1])
        var variants: [[SpotCheckTeacher]] = []
        for k in 0..<5 {
            var t = base.teachers
            switch k {
            case 0: t[0].schoolID = "S9"
            case 1: t[1].lessons[0].roomID += "'"
            case 2: t[2].lessons[1].end = TimeOfDay(hour: 12, minute: 0)
            case 3: t[0].lessons[2].subject = "数学 "
            default: t.removeLast()
            }
            variants.append(t)
        }
        let digests = try variants.map { try SpotCheckSnapshot(teachers: $0).digest }
        #expect(Set(digests + [base.digest]).count == 6)
        // Order of the input does not matter: the snapshot is canonical.
        #expect(try SpotCheckSnapshot(teachers: base.teachers.reversed()).digest == base.digest)
    }
}
