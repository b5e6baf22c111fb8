import ClassroomCore
import Testing

/// A two-county prefecture, computed by hand (multimedia classrooms per 100 primary students):
///
/// | county | school | students | rooms | per 100 |
/// |---|---|---|---|---|
/// | 甲县 | A1 | 200 | 4 | 2.0 |
/// | 甲县 | A2 | 300 | 9 | 3.0 |
/// | 乙县 | B1 | 100 | 1 | 1.0 |
/// | 乙县 | B2 | 400 | 12 | 3.0 |
///
/// 甲县: X̄ = 1300 ÷ 500 = 2.6, S = √(0.4·0.36 + 0.6·0.16) = √0.24, CV = 0.188.
/// 乙县: X̄ = 2.6, S = √(0.2·2.56 + 0.8·0.16) = 0.8, CV = 0.308.
/// Over all four schools it would be 0.255 — the wrong population, which the prefecture total does not report.
/// Gaps (≥ 2.3 per 100: ⌈2.3 × students ÷ 100⌉): A1 5 − 4 = 1, B1 3 − 1 = 2, the others none.
enum PrefectureFixture {
    static func school(_ id: String, _ county: String, students: Int, classes: Int, rooms: Int) -> (School, [Room]) {
        let school = School(
            id: id, name: "\(id)小学", county: county, township: "\(county)城关镇",
            primary: StageEnrollment(classes: classes, students: students))
        let rooms = (1...rooms).map { n in
            Room(
                id: "\(id)-\(n)", schoolID: id, name: "教室\(n)", kind: n <= classes ? .classroom : .computerLab,
                stage: .primary, className: n <= classes ? "\(n)班" : "", declared: [.display, .network])
        }
        return (school, rooms)
    }

    static var registry: Registry {
        let parts = [
            school("A1", "甲县", students: 200, classes: 4, rooms: 4), school("A2", "甲县", students: 300, classes: 6, rooms: 9),
            school("B1", "乙县", students: 100, classes: 2, rooms: 1), school("B2", "乙县", students: 400, classes: 8, rooms: 12),
        ]
        return Registry(schools: parts.map(\.0), rooms: parts.flatMap(\.1), teachers: [], lessons: [])
    }

    static func profile(_ name: String, cvMax: Double) -> TargetProfile {
        var p = TargetProfile(
            name: name, title: name, plan: "\(name) plan",
            targets: [
                IndicatorTarget(
                    key: .multimediaClassroomsPer100Students, stage: .primary, threshold: 2.3, cvMax: cvMax,
                    source: "\(name) source")
            ])
        p.prefecture = name == "pref" ? "测试市" : nil
        return p
    }

    static func report(countyProfiles: [String: TargetProfile] = [:], registry: Registry = registry) -> CoverageReport {
        CoverageCalculator(
            profile: profile("pref", cvMax: 0.5), registry: registry, basis: .declared,
            at: LocalDate(year: 2026, month: 10, day: 9),
            zone: try! CountyTimeZone.named("Asia/Shanghai"), countyProfiles: countyProfiles
        ).report()
    }
}

@Suite struct PrefectureCoverageTests {
    func multimedia(_ c: CountyCoverage) -> IndicatorValue? {
        c.indicators.first { $0.key == .multimediaClassroomsPer100Students && $0.stage == .primary }
    }

    func gap(_ missing: Int, _ schools: Int) -> [String] { ["multimedia_classroom \(missing) \(schools)"] }

    func gaps(_ c: CountyCoverage) -> [String] { c.gaps.map { "\($0.item) \($0.missing) \($0.schools)" } }

    func rounded(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 1000 } }

    @Test func eachCountyHasItsOwnBetweenSchoolCV() throws {
        let r = PrefectureFixture.report()
        let counties = try #require(r.counties)
        #expect(counties.map(\.name) == ["甲县", "乙县"])
        #expect(counties.map(\.schools) == [2, 2])
        let a = try #require(multimedia(counties[0]))
        let b = try #require(multimedia(counties[1]))
        #expect(rounded(a.value) == 2.6)
        #expect(rounded(a.cv) == 0.188)
        #expect(a.cvMet == true)
        #expect(rounded(b.value) == 2.6)
        #expect(rounded(b.cv) == 0.308)
        #expect(gaps(counties[0]) == gap(1, 1))
        #expect(gaps(counties[1]) == gap(2, 1))
        #expect(r.schools.map(\.county) == ["甲县", "甲县", "乙县", "乙县"])
    }

    @Test func thePrefectureTotalSumsAndCarriesNoCV() throws {
        let r = PrefectureFixture.report()
        let total = try #require(r.prefecture)
        #expect(total.name == "测试市")
        #expect(total.counties == 2)
        #expect(total.schools == 4)
        let m = try #require(multimedia(total))
        #expect(m.numerator == 26)
        #expect(m.denominator == 1000)
        #expect(rounded(m.value) == 2.6)
        #expect(m.met == true)
        // Not 0.255 (the CV over all four schools): the standard's balance is inside one county.
        #expect(m.cv == nil)
        #expect(m.cvMet == nil)
        #expect(gaps(total) == gap(3, 2))
        #expect(r.county == total)
    }

    @Test func aCountyRowIsMeasuredAgainstItsOwnProfile() throws {
        let own = PrefectureFixture.profile("yi-county", cvMax: 0.25)
        let r = PrefectureFixture.report(countyProfiles: ["乙县": own])
        let counties = try #require(r.counties)
        #expect(counties[0].profile == nil)
        #expect(counties[1].profile == "yi-county")
        let b = try #require(multimedia(counties[1]))
        #expect(rounded(b.cv) == 0.308)
        #expect(b.cvTarget == 0.25)
        #expect(b.cvMet == false)
        #expect(r.sources == ["pref source", "yi-county source"])
    }

    @Test func oneCountyIsAReportAsBefore() throws {
        let r = PrefectureFixture.report(registry: PrefectureFixture.registry.filtered(county: "乙县"))
        #expect(r.counties == nil)
        #expect(r.prefecture == nil)
        #expect(r.county.name == "乙县")
        #expect(r.schools.map(\.schoolID) == ["B1", "B2"])
        #expect(rounded(multimedia(r.county)?.cv) == 0.308)
    }

    @Test func filteringKeepsOnlyTheCountysRoomsAndLessons() {
        let reg = PrefectureFixture.registry
        #expect(reg.counties == ["甲县", "乙县"])
        let yi = reg.filtered(county: "乙县")
        #expect(yi.rooms.count == 13)
        #expect(Set(yi.rooms.map(\.schoolID)) == ["B1", "B2"])
        #expect(reg.filtered(county: "丙县").schools.isEmpty)
        #expect(reg.schoolIDs(inCounty: "甲县") == ["A1", "A2"])
    }

    @Test func aPrefectureProfileNamesItsCountyProfiles() throws {
        let p = try TargetProfile.load(
            """
            name = "p"
            plan = "x"
            prefecture = "昭通市"
            [[target]]
            indicator = "network_access"
            stages = ["all"]
            threshold = 1.0
            source = "s"
            [[county]]
            name = "鲁甸县"
            profile = "ludian-2025"
            """, file: "p.toml")
        #expect(p.prefecture == "昭通市")
        #expect(p.countyProfiles == ["鲁甸县": "ludian-2025"])
        #expect(throws: TOMLError.self) {
            try TargetProfile.load(
                "name = \"p\"\nplan = \"x\"\n[[target]]\nindicator = \"network_access\"\nstages = [\"all\"]\nthreshold = 1.0\nsource = \"s\"\n[[county]]\nname = \"a\"\nprofile = \"../etc\"\n",
                file: "bad.toml")
        }
    }
}
