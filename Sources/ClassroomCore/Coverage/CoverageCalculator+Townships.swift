/// The township rows (乡镇) inside a county: where in the county the gaps are.
///
/// A township row sums its schools like a county row (Σ numerators ÷ Σ denominators, gaps and
/// school-rule tallies summed) and carries no 差异系数: the national standard defines the CV between
/// the schools of a county (县域), and a township of two to five schools gives a figure too unstable
/// to compare with the county's limit (docs/coverage.md, *Townships*).
extension CoverageCalculator {
    /// One row per township of the `members` of `all` (one county's schools, as indices in the
    /// report's schools), in order of each township's first school.
    func townships(_ members: some Collection<Int>, of all: [SchoolCoverage], students: [StageStudents]) -> [CountyCoverage] {
        var order: [String] = []
        var byTownship: [String: [Int]] = [:]
        for s in members {
            if byTownship[all[s].township] == nil { order.append(all[s].township) }
            byTownship[all[s].township, default: []].append(s)
        }
        return order.map { name in
            let own = byTownship[name] ?? []
            var row = county(own, of: all, students: students, name: name)
            row.students = own.reduce(0) { $0 + all[$1].students }
            for i in row.indicators.indices {
                row.indicators[i].cv = nil
                row.indicators[i].cvTarget = nil
                row.indicators[i].cvMet = nil
            }
            return row
        }
    }
}
