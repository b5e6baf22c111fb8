/// The coverage indicators ClassroomFleet measures (ARCHITECTURE.md §2); the raw values are the
/// stable JSON keys of the coverage report.
public enum CoverageIndicatorKey: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// Share of classes whose home classroom has a smart blackboard (智慧黑板: display + touchscreen).
    case smartBlackboardClassCoverage = "smart_blackboard_class_coverage"
    /// Share of classes in a standard digital classroom (标准数字教室: smart blackboard + speaker + microphone).
    case digitalClassroomCoverage = "digital_classroom_coverage"
    /// Recording classrooms (互动直录播教室) present against those required (one per 18 / 12 classes).
    case recordingClassrooms = "recording_classrooms"
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
        case .multimediaClassroomsPer100Students: "Multimedia classrooms per 100 students"
        case .usageRate: "Device usage rate"
        case .networkAccess: "Education network access"
        }
    }

    /// Whether the value is a share (0…1, shown as a percentage) rather than a rate per 100 students.
    public var isShare: Bool { self != .multimediaClassroomsPer100Students }

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
