import ClassroomCore

/// A small hand-computed county: a primary school, a nine-year school (primary and junior parts,
/// a shared computer lab) and a village teaching point under 50 students.
enum CoverageFixtures {
    static let all: Set<DeclaredEquipment> = Set(DeclaredEquipment.allCases)

    static var registry: Registry {
        let a = School(
            id: "A", name: "城关小学", county: "测试县", township: "城关镇", primary: StageEnrollment(classes: 4, students: 160))
        let b = School(
            id: "B", name: "河口九年一贯制学校", county: "测试县", township: "河口镇",
            primary: StageEnrollment(classes: 6, students: 240), junior: StageEnrollment(classes: 3, students: 150))
        let c = School(
            id: "C", name: "山背教学点", county: "测试县", township: "河口镇", primary: StageEnrollment(classes: 1, students: 20))
        var rooms: [Room] = [
            Room(
                id: "A1", schoolID: "A", name: "一年级1班", kind: .classroom, stage: .primary, className: "一年级1班",
                declared: [.display, .touch, .speaker, .microphone, .network]),
            Room(
                id: "A2", schoolID: "A", name: "二年级1班", kind: .classroom, stage: .primary, className: "二年级1班",
                declared: [.display, .touch, .network]),
            Room(
                id: "A3", schoolID: "A", name: "三年级1班", kind: .classroom, stage: .primary, className: "三年级1班",
                declared: [.display]),
            Room(id: "A4", schoolID: "A", name: "四年级1班", kind: .classroom, stage: .primary, className: "四年级1班"),
            Room(id: "A5", schoolID: "A", name: "录播教室", kind: .recording, stage: .primary, declared: all),
        ]
        for n in 1...6 {
            rooms.append(
                Room(
                    id: "BP\(n)", schoolID: "B", name: "小学\(n)班", kind: .classroom, stage: .primary, className: "小学\(n)班",
                    declared: [.display, .touch, .network]))
        }
        for n in 1...3 {
            rooms.append(
                Room(
                    id: "BJ\(n)", schoolID: "B", name: "初中\(n)班", kind: .classroom, stage: .junior, className: "初中\(n)班",
                    declared: [.display, .touch, .speaker, .microphone, .network]))
        }
        rooms.append(
            Room(id: "BL", schoolID: "B", name: "计算机教室", kind: .computerLab, stage: .shared, declared: [.display, .network]))
        rooms.append(
            Room(
                id: "C1", schoolID: "C", name: "复式班", kind: .classroom, stage: .primary, className: "复式1班",
                declared: [.display, .network]))
        let lessons = [
            Lesson(
                schoolID: "A", roomID: "A1", teacherID: "TA", weekday: 1, start: TimeOfDay(minutes: 8 * 60),
                end: TimeOfDay(minutes: 8 * 60 + 40), subject: "语文"),
            Lesson(
                schoolID: "A", roomID: "A1", teacherID: "TA", weekday: 2, start: TimeOfDay(minutes: 8 * 60),
                end: TimeOfDay(minutes: 8 * 60 + 40), subject: "语文"),
            Lesson(
                schoolID: "A", roomID: "A3", teacherID: "TA", weekday: 3, start: TimeOfDay(minutes: 9 * 60),
                end: TimeOfDay(minutes: 9 * 60 + 40), subject: "数学"),
        ]
        return Registry(
            schools: [a, b, c], rooms: rooms, teachers: [Teacher(id: "TA", schoolID: "A", name: "张老师", subjects: ["语文"])],
            lessons: lessons)
    }

    /// A profile like Luxi's: every indicator with a target, per-100 and CV as the national standard.
    static var profile: TargetProfile {
        let src = "test"
        var targets: [IndicatorTarget] = []
        for stage in [IndicatorStage.primary, .junior, .high] {
            targets.append(IndicatorTarget(key: .smartBlackboardClassCoverage, stage: stage, threshold: 1, source: src))
            targets.append(IndicatorTarget(key: .digitalClassroomCoverage, stage: stage, threshold: 1, source: src))
            targets.append(IndicatorTarget(key: .recordingClassrooms, stage: stage, threshold: 1, source: src))
            targets.append(IndicatorTarget(key: .usageRate, stage: stage, threshold: 0.9, source: src))
        }
        targets.append(
            IndicatorTarget(key: .multimediaClassroomsPer100Students, stage: .primary, threshold: 2.3, cvMax: 0.5, source: src))
        targets.append(
            IndicatorTarget(key: .multimediaClassroomsPer100Students, stage: .junior, threshold: 2.4, cvMax: 0.45, source: src))
        targets.append(IndicatorTarget(key: .networkAccess, stage: .all, threshold: 1, source: src))
        return TargetProfile(
            name: "test", title: "测试", plan: "测试方案", targets: targets,
            schoolRule: SchoolRule(
                indicators: CoverageIndicatorKey.nationalResources.map(\.rawValue), minMet: 6, restRatio: 0.85, source: src))
    }

    static let day = LocalDate(year: 2026, month: 11, day: 25)  // a Wednesday
    static let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
}

extension CoverageReport {
    func school(_ id: String) -> SchoolCoverage? { schools.first { $0.schoolID == id } }
}

extension SchoolCoverage {
    func indicator(_ key: CoverageIndicatorKey, _ stage: IndicatorStage) -> IndicatorValue? {
        indicators.first { $0.key == key && $0.stage == stage }
    }
    func gap(_ item: String, _ stage: IndicatorStage) -> CoverageGap? { gaps.first { $0.item == item && $0.stage == stage } }
}

extension CountyCoverage {
    func indicator(_ key: CoverageIndicatorKey, _ stage: IndicatorStage) -> IndicatorValue? {
        indicators.first { $0.key == key && $0.stage == stage }
    }
}
