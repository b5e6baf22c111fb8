/// A resource of the national quality-balance standard that no machine can see, declared by the
/// school in the optional `{stage}_{rawValue}` columns of `schools.csv` (`primary_backbone_teachers`).
///
/// Each is a raw quantity of one stage (teachers, square metres, yuan); the indicator divides it by
/// the stage's students (× 100 for the teacher counts), so the county value is Σ ÷ Σ as for every
/// other indicator.
public enum SchoolResource: String, Codable, Sendable, Hashable, CaseIterable, CodingKeyRepresentable {
    /// Teachers with a degree above the one required for the stage (高于规定学历教师).
    case qualifiedTeachers = "qualified_teachers"
    /// Backbone teachers recognised at county level or above (县级以上骨干教师).
    case backboneTeachers = "backbone_teachers"
    /// Full-time PE and art (music, fine art) teachers (体育、艺术专任教师).
    case peArtTeachers = "pe_art_teachers"
    /// Teaching and auxiliary floor area, m² (教学及辅助用房面积).
    case teachingArea = "teaching_area_m2"
    /// Sports ground and hall area, m² (体育运动场馆面积).
    case sportsArea = "sports_area_m2"
    /// Value of teaching instruments and equipment, yuan (教学仪器设备值).
    case equipmentValue = "equipment_value_yuan"

    /// The stages the national standard assesses (compulsory education): the only ones with columns.
    public static let stages: [Stage] = [.primary, .junior]

    /// The column of `schools.csv` for `stage`.
    public func column(_ stage: Stage) -> String { "\(stage.rawValue)_\(rawValue)" }

    /// The columns of `schools.csv`, stage by stage.
    public static var columns: [String] { stages.flatMap { stage in allCases.map { $0.column(stage) } } }

    /// Whether the value counts people (a whole number) rather than an area or an amount.
    public var isCount: Bool { self == .qualifiedTeachers || self == .backboneTeachers || self == .peArtTeachers }

    /// The indicator the resource feeds.
    public var indicator: CoverageIndicatorKey {
        switch self {
        case .qualifiedTeachers: .qualifiedTeachersPer100Students
        case .backboneTeachers: .backboneTeachersPer100Students
        case .peArtTeachers: .peArtTeachersPer100Students
        case .teachingArea: .teachingSpacePerStudent
        case .sportsArea: .sportsGroundPerStudent
        case .equipmentValue: .equipmentValuePerStudent
        }
    }

    /// Largest area (m²) or amount (yuan) accepted for one school and stage.
    public static let maximumAmount = 1e12
}
