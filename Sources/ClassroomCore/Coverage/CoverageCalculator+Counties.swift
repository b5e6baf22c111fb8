/// A prefecture report: one row per county and the prefecture total.
///
/// The 差异系数 of the national standard is a between-school figure inside one county (县域), so each
/// county's CV is computed over that county's schools only, and the prefecture total carries none:
/// a CV over every school of a prefecture would mix counties the standard assesses separately.
extension CoverageCalculator {
    func addCounties(_ names: [String], to report: inout CoverageReport, students: [StageStudents]) {
        let all = report.schools
        var bySchool: [String: [Int]] = [:]
        for s in all.indices { bySchool[all[s].county, default: []].append(s) }
        report.counties = names.map { name in
            if let own = countyProfiles[name] {
                // Its own targets, sources and (for resource indicators) its own set of indicators.
                var sub = self
                sub.profile = own
                sub.registry = registry.filtered(county: name)
                sub.countyProfiles = [:]
                var row = sub.report().county
                row.profile = own.name
                return row
            }
            var row = county(bySchool[name] ?? [], of: all, students: students, name: name)
            row.townships = townships(bySchool[name] ?? [], of: all, students: students)
            return row
        }
        var total = report.county
        total.name = profile.prefecture ?? ""
        total.counties = names.count
        for i in total.indicators.indices {
            total.indicators[i].cv = nil
            total.indicators[i].cvTarget = nil
            total.indicators[i].cvMet = nil
        }
        report.county = total
        report.prefecture = total
        let own = names.compactMap { countyProfiles[$0] }
        if !own.isEmpty {
            var seen = Set(report.sources)
            for p in own {
                for s in p.targets.map(\.source) + (p.schoolRule.map { [$0.source] } ?? []) where seen.insert(s).inserted {
                    report.sources.append(s)
                }
            }
        }
    }
}
