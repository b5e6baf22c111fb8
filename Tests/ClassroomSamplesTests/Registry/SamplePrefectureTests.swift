import ClassroomCore
import ClassroomSamples
import Testing

/// `SampleCounty(counties:)`: a synthetic prefecture.
@Suite struct SamplePrefectureTests {
    @Test func schoolsAreSplitInBlocksAmongZhaotongsCounties() {
        let r = SampleCounty(schools: 10, seed: 5, counties: 3).generate()
        #expect(r.counties == ["昭阳区", "鲁甸县", "巧家县"])
        #expect(r.schools.filter { $0.county == "昭阳区" }.count == 4)
        #expect(r.schools.filter { $0.county == "鲁甸县" }.count == 3)
        #expect(r.schools.filter { $0.county == "巧家县" }.count == 3)
        // Only the county names change: one county with the same seed has the same schools otherwise.
        let one = SampleCounty(schools: 10, seed: 5).generate()
        #expect(one.schools.map(\.id) == r.schools.map(\.id))
        #expect(one.rooms == r.rooms)
        #expect(Set(one.schools.map(\.county)) == ["样例县"])
    }

    @Test func beyondElevenCountiesNamesAreNumbered() {
        let names = SampleCounty.countyNames(13)
        #expect(names.count == 13)
        #expect(names[10] == "水富市")
        #expect(names[11] == "样例县12")
        #expect(Set(names).count == 13)
    }
}
