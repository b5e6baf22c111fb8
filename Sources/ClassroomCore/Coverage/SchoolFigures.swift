/// The raw counts of one school on one basis, from which its indicators and gaps follow.
struct SchoolFigures: Sendable {
    struct StageFigures: Sendable {
        var classes = 0
        var students = 0
        /// Home classrooms (kind `classroom`) with a smart blackboard / a digital classroom set.
        var smartBlackboards = 0
        var digitalClassrooms = 0
        var recordingRooms = 0
        var recordingRequired = 0
        /// Networked multimedia classrooms; shared rooms are split between stages by students.
        var multimediaRooms = 0.0
        var periodsUsed = 0
        var periods = 0
    }

    let school: School
    var stages = ByStage<StageFigures>()
    var networked = false
    var usageMeasured = false

    /// - Parameters:
    ///   - rooms: the school's rooms as ordinals in `registryRooms` (``SchoolRooms``).
    ///   - capabilities: every room's capabilities on the basis, by room ordinal.
    init(
        school: School, rooms: ArraySlice<Int32>, of registryRooms: [Room], capabilities: [RoomCapabilities],
        profile: TargetProfile
    ) {
        self.school = school
        for stage in school.stages {
            var f = StageFigures()
            f.classes = school[stage].classes
            f.students = school[stage].students
            let perRoom =
                profile.target(.recordingClassrooms, IndicatorStage(stage))?.classesPerRoom ?? (stage == .primary ? 18 : 12)
            f.recordingRequired = (f.classes + perRoom - 1) / perRoom
            stages[stage] = f
        }
        var sharedRecording = 0
        var sharedMultimedia = 0
        for r in rooms {
            let room = Int(r)
            let caps = capabilities[room]
            if caps.contains(.networked) { networked = true }
            guard let stage = registryRooms[room].stage.stage else {
                if caps.contains(.recordingClassroom) { sharedRecording += 1 }
                if caps.contains(.multimediaClassroom) { sharedMultimedia += 1 }
                continue
            }
            guard stages[stage] != nil else { continue }
            if registryRooms[room].kind == .classroom {
                if caps.contains(.smartBlackboard) { stages[stage]!.smartBlackboards += 1 }
                if caps.contains(.digitalClassroom) { stages[stage]!.digitalClassrooms += 1 }
            }
            if caps.contains(.recordingClassroom) { stages[stage]!.recordingRooms += 1 }
            if caps.contains(.multimediaClassroom) { stages[stage]!.multimediaRooms += 1 }
        }
        // A shared recording room first fills the stage that is short of one.
        for stage in school.stages where sharedRecording > 0 {
            let short = max(0, stages[stage]!.recordingRequired - stages[stage]!.recordingRooms)
            let given = min(short, sharedRecording)
            stages[stage]!.recordingRooms += given
            sharedRecording -= given
        }
        if sharedRecording > 0, let first = school.stages.first { stages[first]!.recordingRooms += sharedRecording }
        let total = school.totalStudents
        for stage in school.stages where sharedMultimedia > 0 {
            let share = total > 0 ? Double(stages[stage]!.students) / Double(total) : 1 / Double(school.stages.count)
            stages[stage]!.multimediaRooms += Double(sharedMultimedia) * share
        }
    }

    /// Adds the lesson periods counted by ``UsageCounter`` (verified basis only).
    mutating func addUsage(_ periods: [Stage: (used: Int, total: Int)]) {
        usageMeasured = true
        for (stage, p) in periods where stages[stage] != nil {
            stages[stage]!.periodsUsed += p.used
            stages[stage]!.periods += p.total
        }
    }

    /// The stages reported for this school: those it teaches, then `all`.
    var stageKeys: [IndicatorStage] { school.stages.map(IndicatorStage.init) + [.all] }

    var studentsByStage: StageStudents {
        var d = StageStudents(all: school.totalStudents)
        for stage in school.stages { d[stage] = stages[stage]!.students }
        return d
    }

    func indicators(profile: TargetProfile, basis: CoverageBasis) -> [IndicatorValue] {
        var out: [IndicatorValue] = []
        func add(
            _ key: CoverageIndicatorKey, _ stage: IndicatorStage, _ num: Double, _ den: Double, classes: Int, assessed: Bool,
            known: Bool = true
        ) {
            let target = profile.target(key, stage)
            let isAssessed = assessed && classes >= (target?.minClasses ?? 0)
            let measured = known && (key != .usageRate || usageMeasured)
            var v = IndicatorValue(
                key: key, stage: stage, value: measured && den > 0 ? key.scale * num / den : nil, numerator: num,
                denominator: den, target: target?.threshold, assessed: isAssessed)
            if !isAssessed { v.met = nil }
            out.append(v)
        }
        for stage in school.stages {
            let f = stages[stage]!
            let s = IndicatorStage(stage)
            let classes = Double(f.classes)
            add(
                .smartBlackboardClassCoverage, s, Double(min(f.smartBlackboards, f.classes)), classes, classes: f.classes,
                assessed: true)
            add(
                .digitalClassroomCoverage, s, Double(min(f.digitalClassrooms, f.classes)), classes, classes: f.classes,
                assessed: true)
            add(
                .recordingClassrooms, s, Double(min(f.recordingRooms, f.recordingRequired)), Double(f.recordingRequired),
                classes: f.classes,
                // A teaching point (教学点) is served by its central school's recording classroom.
                assessed: f.recordingRequired > 0 && !school.isTeachingPoint)
            // The national standard's declared resources (compulsory stages only; a blank stays unknown).
            if SchoolResource.stages.contains(stage) {
                for resource in SchoolResource.allCases where profile.mentions(resource.indicator) {
                    let declared = school[stage].resources[resource]
                    add(
                        resource.indicator, s, declared ?? 0, Double(f.students), classes: f.classes,
                        assessed: !school.isTeachingPoint && f.students > 0, known: declared != nil)
                }
            }
            add(
                .multimediaClassroomsPer100Students, s, f.multimediaRooms, Double(f.students), classes: f.classes,
                assessed: !school.isTeachingPoint && f.students > 0)
            add(
                .usageRate, s, Double(f.periodsUsed), Double(f.periods), classes: f.classes,
                assessed: !usageMeasured || f.periods > 0)
        }
        add(.networkAccess, .all, networked ? 1 : 0, 1, classes: school.totalClasses, assessed: true)
        return out
    }

    /// What the school lacks to reach each of the profile's targets it is assessed for.
    func gaps(profile: TargetProfile) -> [CoverageGap] {
        var out: [CoverageGap] = []
        func add(_ t: IndicatorTarget, _ item: String, have: Int, needed: Int) {
            if needed > have {
                out.append(
                    CoverageGap(key: t.key, stage: t.stage, item: item, have: have, needed: needed, missing: needed - have))
            }
        }
        func ceilInt(_ x: Double) -> Int { Int((x - 1e-9).rounded(.up)) }
        for t in profile.targets {
            if t.key == .networkAccess {
                if t.threshold > 0 { add(t, "network_connection", have: networked ? 1 : 0, needed: 1) }
                continue
            }
            guard let stage = t.stage.stage, let f = stages[stage], f.classes >= t.minClasses else { continue }
            switch t.key {
            case .smartBlackboardClassCoverage:
                add(
                    t, "smart_blackboard", have: min(f.smartBlackboards, f.classes),
                    needed: ceilInt(t.threshold * Double(f.classes)))
            case .digitalClassroomCoverage:
                add(
                    t, "digital_classroom_kit", have: min(f.digitalClassrooms, f.classes),
                    needed: ceilInt(t.threshold * Double(f.classes)))
            case .recordingClassrooms:
                guard !school.isTeachingPoint else { continue }
                add(t, "recording_classroom", have: f.recordingRooms, needed: ceilInt(t.threshold * Double(f.recordingRequired)))
            case .multimediaClassroomsPer100Students:
                guard !school.isTeachingPoint else { continue }
                add(
                    t, "multimedia_classroom", have: Int((f.multimediaRooms + 1e-9).rounded(.down)),
                    needed: ceilInt(t.threshold * Double(f.students) / 100))
            case .usageRate, .networkAccess:
                continue
            case .qualifiedTeachersPer100Students, .backboneTeachersPer100Students, .peArtTeachersPer100Students,
                .teachingSpacePerStudent, .sportsGroundPerStudent, .equipmentValuePerStudent:
                // Teachers and floor space are not procured like equipment; the rule and the CV report them.
                continue
            }
        }
        return out
    }
}

/// One value per school stage: the figures of a school's stages are read for every room, and a
/// dictionary hashed the stage each time.
struct ByStage<Value: Sendable>: Sendable {
    private var primary: Value?
    private var junior: Value?
    private var high: Value?

    subscript(stage: Stage) -> Value? {
        get {
            switch stage {
            case .primary: primary
            case .junior: junior
            case .high: high
            }
        }
        set {
            switch stage {
            case .primary: primary = newValue
            case .junior: junior = newValue
            case .high: high = newValue
            }
        }
    }
}

/// A school's students by indicator stage (its stages and `all`; 0 for a stage it does not teach):
/// the weights of the county's 差异系数, read for every indicator of every school.
struct StageStudents: Sendable {
    private var byStage = ByStage<Int>()
    private let all: Int

    init(all: Int) { self.all = all }

    subscript(stage: Stage) -> Int? {
        get { byStage[stage] }
        set { byStage[stage] = newValue }
    }

    subscript(stage: IndicatorStage) -> Int {
        guard let s = stage.stage else { return all }
        return byStage[s] ?? 0
    }
}
