import ClassroomCore

/// A synthetic prefecture: the sample county's schools split among several counties.
extension SampleCounty {
    /// The county-level divisions of Zhaotong prefecture (昭通市: 1 district, 9 counties, 1
    /// county-level city), the names a multi-county sample takes first.
    public static let zhaotongCounties = [
        "昭阳区", "鲁甸县", "巧家县", "盐津县", "大关县", "永善县", "绥江县", "镇雄县", "彝良县", "威信县", "水富市",
    ]

    /// The county names of a sample of `count` counties: Zhaotong's, then `样例县12`, `样例县13`, ….
    public static func countyNames(_ count: Int) -> [String] {
        (0..<max(1, count)).map { $0 < zhaotongCounties.count ? zhaotongCounties[$0] : "样例县\($0 + 1)" }
    }

    /// The county of school number `n` (from 0) of `schools` among `names`: consecutive blocks of
    /// about equal size, so each county has every kind of school once it has a few.
    static func county(of n: Int, schools: Int, names: [String]) -> String {
        names[min(names.count - 1, n * names.count / max(1, schools))]
    }
}
