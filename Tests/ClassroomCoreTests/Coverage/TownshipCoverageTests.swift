import ClassroomCore
import Testing

/// Township rows (乡镇) inside a county, computed by hand (multimedia classrooms per 100 primary
/// students, target 2.3, CV ≤ 0.50):
///
/// | township | school | students | rooms | per 100 | needed ⌈2.3 × students ÷ 100⌉ | missing |
/// |---|---|---|---|---|---|---|
/// | 镇一 | A1 | 200 | 4 | 2.0 | 5 | 1 |
/// | 镇一 | A2 | 300 | 9 | 3.0 | 7 | 0 |
/// | 镇二 | A3 | 100 | 1 | 1.0 | 3 | 2 |
///
/// 镇一: 13 ÷ 500 × 100 = 2.6 (met), 500 students, 1 missing in 1 school; 镇二: 1.0 (not met), 100
/// students, 2 missing. Neither has a CV. The county keeps its CV over all three schools:
/// X̄ = 14 ÷ 600 × 100 = 2.333, S² = ⅓·0.111 + ½·0.444 + ⅙·1.778 = 0.556, CV = 0.745 ÷ 2.333 = 0.319.
enum TownshipFixture {
    static var registry: Registry {
        var parts = [
            PrefectureFixture.school("A1", "甲县", students: 200, classes: 4, rooms: 4),
            PrefectureFixture.school("A2", "甲县", students: 300, classes: 6, rooms: 9),
            PrefectureFixture.school("A3", "甲县", students: 100, classes: 2, rooms: 1),
        ]
        for n in parts.indices { parts[n].0.township = n < 2 ? "镇一" : "镇二" }
        return Registry(schools: parts.map(\.0), rooms: parts.flatMap(\.1), teachers: [], lessons: [])
    }

    static var report: CoverageReport { PrefectureFixture.report(registry: registry) }
}

@Suite struct TownshipCoverageTests {
    func multimedia(_ c: CountyCoverage) -> IndicatorValue? {
        c.indicators.first { $0.key == .multimediaClassroomsPer100Students && $0.stage == .primary }
    }

    func rounded(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 1000 } }

    @Test func eachTownshipSumsItsSchoolsWithoutACV() throws {
        let r = TownshipFixture.report
        let townships = try #require(r.county.townships)
        #expect(townships.map(\.name) == ["镇一", "镇二"])
        #expect(townships.map(\.schools) == [2, 1])
        #expect(townships.map(\.students) == [500, 100])
        let one = try #require(multimedia(townships[0]))
        #expect(one.numerator == 13)
        #expect(one.denominator == 500)
        #expect(rounded(one.value) == 2.6)
        #expect(one.met == true)
        #expect(one.cv == nil && one.cvTarget == nil && one.cvMet == nil)
        let two = try #require(multimedia(townships[1]))
        #expect(rounded(two.value) == 1.0)
        #expect(two.met == false)
        #expect(two.cv == nil)
        #expect(
            townships.map { $0.gaps.map { "\($0.item) \($0.missing) \($0.schools)" } } == [
                ["multimedia_classroom 1 1"], ["multimedia_classroom 2 1"],
            ])
        #expect(townships.allSatisfy { $0.townships == nil })
        // The county row keeps its between-school CV over all three schools.
        let county = try #require(multimedia(r.county))
        #expect(rounded(county.value) == 2.333)
        #expect(rounded(county.cv) == 0.319)
        #expect(r.county.students == nil)
    }

    @Test func aPrefecturesCountiesHaveTownshipsAndItsTotalNone() throws {
        let r = PrefectureFixture.report()
        let counties = try #require(r.counties)
        #expect(counties.map { $0.townships?.map(\.name) } == [["甲县城关镇"], ["乙县城关镇"]])
        let jia = try #require(counties[0].townships?.first)
        #expect(jia.students == 500)
        #expect(multimedia(jia)?.numerator == 13)
        #expect(multimedia(jia)?.cv == nil)
        #expect(multimedia(counties[0])?.cv != nil)
        #expect(r.prefecture?.townships == nil)
        #expect(r.county.townships == nil)
    }

    @Test func townshipsRoundTripThroughTheJSON() throws {
        let r = TownshipFixture.report
        let json = String(decoding: try CoverageJSON.encode(r), as: UTF8.self)
        #expect(json.contains("\"townships\""))
        #expect(try CoverageJSON.decode(CoverageJSON.encode(r)) == r)
    }
}
