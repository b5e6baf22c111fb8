import ClassroomCore

/// Generates a realistic synthetic county: the demo data and the load generator for benchmarks.
///
/// Mixed primary, junior, nine-year (九年一贯制), complete secondary and senior schools plus village
/// teaching points (教学点) under 50 students; about one teacher per 15–20 students; a classroom per
/// class, recording classrooms (some schools short of the target) and computer labs; a full weekday
/// timetable in which every teacher teaches every day and no room or teacher is double-booked;
/// the 2026–27 term calendar of ``yunnanCalendar2026``.
/// The same seed and size always give the same county.
public struct SampleCounty: Sendable {
    public var schools: Int
    public var seed: UInt64
    public var countyName: String
    /// More than 1: a prefecture of that many counties (``countyNames(_:)``), schools split among
    /// them in blocks; `countyName` is then unused.
    public var counties: Int

    public init(schools: Int, seed: UInt64, countyName: String = "样例县", counties: Int = 1) {
        self.schools = schools
        self.seed = seed
        self.countyName = countyName
        self.counties = counties
    }

    enum Kind: CaseIterable {
        case teachingPoint, primary, nineYear, junior, completeSecondary, senior
    }

    /// Builds the registry.
    public func generate() -> Registry {
        var rng = SeededGenerator(seed: seed)
        var registry = Registry(schools: [], rooms: [], teachers: [], lessons: [], calendar: Self.yunnanCalendar2026)
        registry.schools.reserveCapacity(schools)
        let townships = (0..<max(1, schools / 12)).map { i in
            Self.townshipNames[i % Self.townshipNames.count]
                + (i >= Self.townshipNames.count ? String(i / Self.townshipNames.count + 1) : "") + "镇"
        }
        // The declared resources draw from their own generator, so a seed's rooms, teachers and names
        // stay what they were before the resource columns existed.
        var resourceRNG = SeededGenerator(seed: seed ^ Self.resourceSeed)
        var kindCounters: [Kind: Int] = [:]
        let countyNames = counties > 1 ? Self.countyNames(counties) : [countyName]
        for n in 0..<schools {
            let kind = Self.kind(for: n, rng: &rng)
            kindCounters[kind, default: 0] += 1
            let township = townships[n % townships.count]
            let id = "S" + Self.pad(n + 1, 5)
            var school = School(
                id: id, name: Self.schoolName(kind, township: township, ordinal: kindCounters[kind]!),
                county: Self.county(of: n, schools: schools, names: countyNames), township: township)
            switch kind {
            case .teachingPoint:
                school.primary = StageEnrollment(
                    classes: Int.random(in: 1...2, using: &rng), students: Int.random(in: 12...49, using: &rng))
            case .primary:
                school.primary = Self.stage(classes: 3...18, perClass: 28...45, rng: &rng)
            case .nineYear:
                school.primary = Self.stage(classes: 6...12, perClass: 28...45, rng: &rng)
                school.junior = Self.stage(classes: 3...9, perClass: 40...52, rng: &rng)
            case .junior:
                school.junior = Self.stage(classes: 6...24, perClass: 42...55, rng: &rng)
            case .completeSecondary:
                school.junior = Self.stage(classes: 6...18, perClass: 42...55, rng: &rng)
                school.high = Self.stage(classes: 6...18, perClass: 45...56, rng: &rng)
            case .senior:
                school.high = Self.stage(classes: 12...48, perClass: 45...56, rng: &rng)
            }
            registry.schools.append(school)
            let teachers = Self.populate(school, kind: kind, into: &registry, rng: &rng)
            Self.declareResources(&registry.schools[registry.schools.count - 1], n: n, teachers: teachers, rng: &resourceRNG)
        }
        return registry
    }

    static func kind(for n: Int, rng: inout SeededGenerator) -> Kind {
        // The first schools cover every kind, so even a small county shows the whole mix.
        if n < Kind.allCases.count { return [.primary, .nineYear, .junior, .teachingPoint, .senior, .completeSecondary][n] }
        let r = Int.random(in: 0..<100, using: &rng)
        switch r {
        // Roughly the mix of a rural county in south-west China: many village teaching points and
        // small primary schools, fewer and larger secondary schools (about 23 teachers per school).
        case ..<25: return .teachingPoint
        case ..<70: return .primary
        case ..<82: return .nineYear
        case ..<94: return .junior
        case ..<97: return .completeSecondary
        default: return .senior
        }
    }

    static func stage(classes: ClosedRange<Int>, perClass: ClosedRange<Int>, rng: inout SeededGenerator) -> StageEnrollment {
        let c = Int.random(in: classes, using: &rng)
        return StageEnrollment(classes: c, students: c * Int.random(in: perClass, using: &rng))
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func schoolName(_ kind: Kind, township: String, ordinal: Int) -> String {
        let place = String(township.dropLast())
        switch kind {
        case .teachingPoint: return place + villageNames[ordinal % villageNames.count] + "村教学点"
        case .primary: return place + (ordinal % 3 == 1 ? "中心小学" : "第\(chineseNumber(ordinal))小学")
        case .nineYear: return place + "九年一贯制学校" + (ordinal > 1 ? "(\(ordinal))" : "")
        case .junior: return place + "初级中学" + (ordinal > 1 ? "(\(ordinal))" : "")
        case .completeSecondary: return place + "第\(chineseNumber(ordinal))中学"
        case .senior: return "\(place)第\(chineseNumber(ordinal))高级中学"
        }
    }

    static func chineseNumber(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 100 { return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        return String(n)
    }

    static let townshipNames = [
        "文屏", "龙树", "水磨", "桃源", "茨院", "龙头山", "乐红", "火德红", "梭山", "小寨", "江底", "新街", "梨园", "青岗", "大水井", "白鹤",
    ]
    static let villageNames = ["坪子", "沙坝", "岩头", "竹林", "大湾", "核桃", "马鞍", "石板", "新房", "松树"]
    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    ).map(String.init)
    static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宇浩凯秀梅鑫鹏飞云春燕晓丹婷雪琳波宁健亮俊佳欣")
        .map(String.init)
    static let subjects: [Stage: [String]] = [
        .primary: ["语文", "数学", "英语", "科学", "道德与法治", "音乐", "美术", "体育"],
        .junior: ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治", "体育"],
        .high: ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "信息技术"],
    ]
    /// Daily periods: primary lessons last 40 minutes, secondary 45.
    static let periods: [Stage: [(Int, Int)]] = [
        .primary: [
            (8 * 60, 8 * 60 + 40), (8 * 60 + 50, 9 * 60 + 30), (10 * 60, 10 * 60 + 40), (10 * 60 + 50, 11 * 60 + 30),
            (14 * 60 + 30, 15 * 60 + 10), (15 * 60 + 20, 16 * 60), (16 * 60 + 10, 16 * 60 + 50),
        ],
        .junior: [
            (8 * 60, 8 * 60 + 45), (8 * 60 + 55, 9 * 60 + 40), (10 * 60, 10 * 60 + 45), (10 * 60 + 55, 11 * 60 + 40),
            (14 * 60 + 30, 15 * 60 + 15), (15 * 60 + 25, 16 * 60 + 10), (16 * 60 + 20, 17 * 60 + 5),
        ],
    ]
    static let gradeNames: [Stage: [String]] = [
        .primary: ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"],
        .junior: ["七年级", "八年级", "九年级"],
        .high: ["高一", "高二", "高三"],
    ]
}
