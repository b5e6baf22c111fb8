/// The coverage indicators ClassroomFleet measures (ARCHITECTURE.md §2), and the six resource
/// indicators of the national standard that schools declare in `schools.csv`; the raw values are the
/// stable JSON keys of the coverage report.
public enum CoverageIndicatorKey: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// Share of classes whose home classroom has a smart blackboard (智慧黑板: display + touchscreen).
    case smartBlackboardClassCoverage = "smart_blackboard_class_coverage"
    /// Share of classes in a standard digital classroom (标准数字教室: smart blackboard + speaker + microphone).
    case digitalClassroomCoverage = "digital_classroom_coverage"
    /// Recording classrooms (互动直录播教室) present against those required (one per 18 / 12 classes).
    case recordingClassrooms = "recording_classrooms"
    /// Teachers above the required degree per 100 students (每百名学生拥有高于规定学历教师数); declared.
    case qualifiedTeachersPer100Students = "qualified_teachers_per_100_students"
    /// Backbone teachers at county level or above per 100 students (每百名学生拥有县级以上骨干教师数); declared.
    case backboneTeachersPer100Students = "backbone_teachers_per_100_students"
    /// PE and art teachers per 100 students (每百名学生拥有体育、艺术专任教师数); declared.
    case peArtTeachersPer100Students = "pe_art_teachers_per_100_students"
    /// Teaching and auxiliary floor area per student, m² (生均教学及辅助用房面积); declared.
    case teachingSpacePerStudent = "teaching_space_per_student"
    /// Sports ground and hall area per student, m² (生均体育运动场馆面积); declared.
    case sportsGroundPerStudent = "sports_ground_per_student"
    /// Teaching equipment value per student, yuan (生均教学仪器设备值); declared.
    case equipmentValuePerStudent = "equipment_value_per_student"
    /// Networked multimedia classrooms per 100 students (每百名学生拥有网络多媒体教室数).
    case multimediaClassroomsPer100Students = "multimedia_classrooms_per_100_students"
    /// Lesson periods with activity ÷ timetabled periods in equipped rooms (信息化设备使用率).
    case usageRate = "usage_rate"
    /// Share of schools with an online agent (教育专网接入率).
    case networkAccess = "network_access"

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    /// The indicator's name in reports, in Chinese.
    public var chineseName: String {
        switch self {
        case .smartBlackboardClassCoverage: "智慧黑板班级覆盖率"
        case .digitalClassroomCoverage: "标准数字教室覆盖率"
        case .recordingClassrooms: "互动直录播教室达标率"
        case .qualifiedTeachersPer100Students: "每百名学生拥有高于规定学历教师数"
        case .backboneTeachersPer100Students: "每百名学生拥有县级以上骨干教师数"
        case .peArtTeachersPer100Students: "每百名学生拥有体育、艺术专任教师数"
        case .teachingSpacePerStudent: "生均教学及辅助用房面积（平方米）"
        case .sportsGroundPerStudent: "生均体育运动场馆面积（平方米）"
        case .equipmentValuePerStudent: "生均教学仪器设备值（元）"
        case .multimediaClassroomsPer100Students: "每百名学生拥有网络多媒体教室数"
        case .usageRate: "信息化设备使用率"
        case .networkAccess: "教育专网接入率"
        }
    }

    /// The indicator's name in reports, in English.
    public var englishName: String {
        switch self {
        case .smartBlackboardClassCoverage: "Smart blackboard class coverage"
        case .digitalClassroomCoverage: "Digital classroom coverage"
        case .recordingClassrooms: "Recording classrooms vs required"
        case .qualifiedTeachersPer100Students: "Teachers above the required degree per 100 students"
        case .backboneTeachersPer100Students: "Backbone teachers per 100 students"
        case .peArtTeachersPer100Students: "PE and art teachers per 100 students"
        case .teachingSpacePerStudent: "Teaching and auxiliary floor area per student (m²)"
        case .sportsGroundPerStudent: "Sports ground area per student (m²)"
        case .equipmentValuePerStudent: "Teaching equipment value per student (yuan)"
        case .multimediaClassroomsPer100Students: "Multimedia classrooms per 100 students"
        case .usageRate: "Device usage rate"
        case .networkAccess: "Education network access"
        }
    }

    /// Whether the value is a share (0…1, shown as a percentage) rather than a rate or an amount.
    public var isShare: Bool {
        switch self {
        case .smartBlackboardClassCoverage, .digitalClassroomCoverage, .recordingClassrooms, .usageRate, .networkAccess: true
        default: false
        }
    }

    /// The factor from numerator ÷ denominator to the value: 100 for "per 100 students", else 1.
    public var scale: Double {
        switch self {
        case .qualifiedTeachersPer100Students, .backboneTeachersPer100Students, .peArtTeachersPer100Students,
            .multimediaClassroomsPer100Students:
            100
        default: 1
        }
    }

    /// The resource a school declares for this indicator, or nil for the ones computed from rooms and agents.
    public var declaredResource: SchoolResource? { SchoolResource.allCases.first { $0.indicator == self } }

    /// The unit of the value and of a profile's threshold (the optional `unit` key of a target).
    public var unit: String {
        switch self {
        case .qualifiedTeachersPer100Students, .backboneTeachersPer100Students, .peArtTeachersPer100Students:
            "人/百名学生"
        case .teachingSpacePerStudent, .sportsGroundPerStudent: "平方米/生"
        case .equipmentValuePerStudent: "元/生"
        case .multimediaClassroomsPer100Students: "间/百名学生"
        default: "比例"
        }
    }

    /// Whether the indicator is about the whole school rather than one stage of it.
    public var isSchoolWide: Bool { self == .networkAccess }
}

/// The stage an indicator is computed for: one school stage, or the whole school (`all`).
public enum IndicatorStage: String, Codable, Sendable, Hashable, Comparable {
    case primary, junior, high, all

    public init(_ stage: Stage) { self = IndicatorStage(rawValue: stage.rawValue)! }

    /// The school stage, or nil for `all`.
    public var stage: Stage? { Stage(rawValue: rawValue) }

    public var chineseName: String { stage?.chineseName ?? "全校" }
    public var englishName: String { stage.map(\.rawValue) ?? "all" }

    public static func < (a: Self, b: Self) -> Bool {
        let order: [Self] = [.primary, .junior, .high, .all]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }
}
