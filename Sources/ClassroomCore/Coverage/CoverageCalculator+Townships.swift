/// The township rows (乡镇) inside a county: where in the county the gaps are.
///
/// A township row sums its schools like a county row (Σ numerators ÷ Σ denominators, gaps and
/// school-rule tallies summed) and carries no 差异系数: the national standard defines the CV between
/// the schools of a county (县域), and a township of two to five schools gives a figure too unstable
/// to compare with the county's limit (docs/coverage.md, *Townships*).
extension CoverageCalculator {
    /// One row per township of `schools` (one county's), in order of each township's first school.
    func townships(_ schools: [SchoolCoverage], students: [String: [IndicatorStage: Int]]) -> [CountyCoverage] {
        var order: [String] = []
        var members: [String: [SchoolCoverage]] = [:]
        for school in schools {
            if members[school.township] == nil { order.append(school.township) }
            members[school.township, default: []].append(school)
        }
        return order.map { name in
            let own = members[name] ?? []
            var row = county(own, students: students, name: name)
            row.students = own.reduce(0) { $0 + $1.students }
            for i in row.indicators.indices {
                row.indicators[i].cv = nil
                row.indicators[i].cvTarget = nil
                row.indicators[i].cvMet = nil
            }
            return row
        }
    }
}
