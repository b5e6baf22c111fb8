import ClassroomCore

extension SampleCounty {
    /// Adds the rooms, teachers and timetable of one school; returns its teachers per stage.
    @discardableResult
    static func populate(
        _ school: School, kind: Kind, into registry: inout Registry, rng: inout SeededGenerator
    ) -> [Stage: Int] {
        var teachersByStage: [Stage: Int] = [:]
        let totalClasses = school.totalClasses
        let ratio = Double.random(in: 15...20, using: &rng)
        let totalTeachers = max(2, max(totalClasses, Int((Double(school.totalStudents) / ratio).rounded())))
        var roomNumber = 0
        var teacherNumber = 0
        func nextRoomID() -> String {
            roomNumber += 1
            return school.id + "-R" + pad(roomNumber, 3)
        }
        let poorPoint = kind == .teachingPoint && Int.random(in: 0..<3, using: &rng) == 0

        for stage in school.stages {
            let enrollment = school[stage]
            let classes = enrollment.classes
            let teachersHere = max(classes, Int((Double(totalTeachers) * Double(classes) / Double(totalClasses)).rounded()))
            teachersByStage[stage] = teachersHere
            let subjects = Self.subjects[stage]!
            var teacherIDs: [String] = []
            var teacherSubjects: [String] = []
            for t in 0..<teachersHere {
                teacherNumber += 1
                let id = school.id + "-T" + pad(teacherNumber, 3)
                let name =
                    surnames[Int.random(in: 0..<surnames.count, using: &rng)]
                    + givenNames[Int.random(in: 0..<givenNames.count, using: &rng)]
                    + (Int.random(in: 0..<2, using: &rng) == 0
                        ? givenNames[Int.random(in: 0..<givenNames.count, using: &rng)] : "")
                let subject = subjects[t % subjects.count]
                var list = [subject]
                if kind == .teachingPoint || Int.random(in: 0..<4, using: &rng) == 0 {
                    list.append(subjects[(t + 3) % subjects.count])
                }
                // The school's first teacher is its principal (校长), the second its vice-principal (副校长)
                // in schools large enough to have one (no random draw, so a seed's names stay the same).
                let position: TeacherPosition? =
                    teacherNumber == 1 ? .principal : teacherNumber == 2 && totalTeachers >= 10 ? .vicePrincipal : nil
                registry.teachers.append(
                    Teacher(id: id, schoolID: school.id, name: name, subjects: list, position: position))
                teacherIDs.append(id)
                teacherSubjects.append(subject)
            }

            // A home classroom per class.
            let grades = gradeNames[stage]!
            let perGrade = max(1, (classes + grades.count - 1) / grades.count)
            var homeRooms: [String] = []
            for c in 0..<classes {
                let grade = kind == .teachingPoint ? "复式" : grades[min(grades.count - 1, c / perGrade)]
                let className = grade + "\(c % perGrade + 1)班"
                // A poor teaching point declares nothing at all (the column is left empty).
                let declared: Set<DeclaredEquipment>? =
                    poorPoint ? nil : kind == .teachingPoint ? [.display, .network] : declaredClassroom(rng: &rng)
                let id = nextRoomID()
                registry.rooms.append(
                    Room(
                        id: id, schoolID: school.id, name: className + "教室", kind: .classroom,
                        stage: RoomStage(rawValue: stage.rawValue)!, className: className, declared: declared))
                homeRooms.append(id)
            }

            // Recording classrooms: the target is 1 per 18 classes (primary) or 12 (secondary); some schools are short.
            var recordingRooms: [String] = []
            if classes >= 6 {
                let required = (classes + (stage == .primary ? 17 : 11)) / (stage == .primary ? 18 : 12)
                let built = Int.random(in: 0..<4, using: &rng) == 0 ? max(0, required - 1) : required
                for k in 0..<built {
                    let id = nextRoomID()
                    registry.rooms.append(
                        Room(
                            id: id, schoolID: school.id, name: "\(stage.chineseName)录播教室\(k + 1)", kind: .recording,
                            stage: RoomStage(rawValue: stage.rawValue)!, declared: Set(DeclaredEquipment.allCases)))
                    recordingRooms.append(id)
                }
            }
            var labs: [String] = []
            if enrollment.students >= 300 {
                let id = nextRoomID()
                registry.rooms.append(
                    Room(
                        id: id, schoolID: school.id, name: "\(stage.chineseName)计算机教室", kind: .computerLab,
                        stage: RoomStage(rawValue: stage.rawValue)!, declared: [.display, .network, .speaker]))
                labs.append(id)
            }

            // The timetable: at each (day, period) class c has teacher (c + offset) mod T — distinct across
            // classes because classes ≤ teachers — and seven periods cover every teacher every day.
            let times = periods[stage == .primary ? .primary : .junior]!
            let t = teacherIDs.count
            for day in 1...5 {
                for (p, (start, end)) in times.enumerated() {
                    let offset = ((day - 1) * 3 + p * classes) % t
                    let moved = (day + p) % 3 == 0 ? recordingRooms.count : 0
                    let labUse = (day + p) % 4 == 1 && recordingRooms.count + labs.count <= classes ? labs.count : 0
                    for c in 0..<classes {
                        let teacher = (c + offset) % t
                        let shifted = (c - (day * 7 + p)) % classes
                        let slot = shifted < 0 ? shifted + classes : shifted
                        let room =
                            slot < moved ? recordingRooms[slot] : slot < moved + labUse ? labs[slot - moved] : homeRooms[c]
                        registry.lessons.append(
                            Lesson(
                                schoolID: school.id, roomID: room, teacherID: teacherIDs[teacher], weekday: day,
                                start: TimeOfDay(minutes: start), end: TimeOfDay(minutes: end), subject: teacherSubjects[teacher])
                        )
                    }
                }
            }
        }
        return teachersByStage
    }

    static func declaredClassroom(rng: inout SeededGenerator) -> Set<DeclaredEquipment> {
        var set: Set<DeclaredEquipment> = [.display]
        let r = Int.random(in: 0..<100, using: &rng)
        if r < 85 { set.formUnion([.touch, .network]) }
        if r < 70 { set.insert(.speaker) }
        if r < 45 { set.insert(.microphone) }
        if r < 8 { set.insert(.camera) }
        return set
    }
}
