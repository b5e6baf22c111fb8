#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Computes a ``CoverageReport`` from a registry, a target profile and (on the verified basis) the
/// agents' evidence. Pure: the caller passes the date, the zone and the evidence.
public struct CoverageCalculator: Sendable {
    public var profile: TargetProfile
    public var registry: Registry
    public var basis: CoverageBasis
    public var evidence: CoverageEvidence
    /// The report's day; "now" is the end of that day in `zone`.
    public var at: LocalDate
    public var zone: CountyTimeZone
    /// How far back verified inventories, agent contacts, streams and usage count (default 7 days).
    public var windowDays: Int
    /// County name → the county's own profile, for the county rows of a prefecture report (the
    /// profiles a prefecture profile names in `[[county]]`); counties not listed use `profile`.
    public var countyProfiles: [String: TargetProfile]

    public init(
        profile: TargetProfile, registry: Registry, basis: CoverageBasis, evidence: CoverageEvidence = CoverageEvidence(),
        at: LocalDate, zone: CountyTimeZone, windowDays: Int = 7, countyProfiles: [String: TargetProfile] = [:]
    ) {
        self.countyProfiles = countyProfiles
        self.profile = profile
        self.registry = registry
        self.basis = basis
        self.evidence = evidence
        self.at = at
        self.zone = zone
        self.windowDays = windowDays
    }

    /// The end of the report's day: the instant against which the window is measured.
    public var now: Date { zone.instant(of: at.adding(days: 1), at: TimeOfDay(minutes: 0)) }

    /// Builds the report.
    public func report() -> CoverageReport {
        var roomsBySchool: [String: [Room]] = [:]
        for room in registry.rooms { roomsBySchool[room.schoolID, default: []].append(room) }
        let window = Duration.seconds(Int64(windowDays) * 86_400)
        let now = self.now
        // Verified capabilities once per room; the usage counter needs the equipped rooms first.
        var verified: [String: RoomCapabilities] = [:]
        var recording: [String: RecordingBasisTally] = [:]
        var usage: UsageCounter?
        if basis == .verified {
            verified.reserveCapacity(registry.rooms.count)
            var equipped: Set<String> = []
            for room in registry.rooms {
                let caps = RoomCapabilities.verified(room, evidence: evidence.rooms[room.id], now: now, window: window)
                verified[room.id] = caps
                if caps.contains(.smartBlackboard) { equipped.insert(room.id) }
                if let basis = RecordingBasis.of(room, evidence: evidence.rooms[room.id], now: now, window: window) {
                    recording[room.schoolID, default: RecordingBasisTally()].add(basis)
                }
            }
            usage = UsageCounter(calculator: self, equipped: equipped)
        }

        var schools: [SchoolCoverage] = []
        var students: [String: [IndicatorStage: Int]] = [:]
        schools.reserveCapacity(registry.schools.count)
        for school in registry.schools {
            let rooms = roomsBySchool[school.id] ?? []
            let declared = SchoolFigures(school: school, rooms: rooms, profile: profile) { RoomCapabilities.declared($0) }
            var figures = declared
            if basis == .verified {
                figures = SchoolFigures(school: school, rooms: rooms, profile: profile) { verified[$0.id] ?? [] }
                if let usage { figures.addUsage(usage.periods(school: school, rooms: rooms)) }
            }
            var indicators = figures.indicators(profile: profile, basis: basis)
            if basis == .verified {
                let declaredValues = declared.indicators(profile: profile, basis: .declared)
                for i in indicators.indices {
                    let d = declaredValues.first { $0.key == indicators[i].key && $0.stage == indicators[i].stage }
                    indicators[i].declaredValue = d?.value
                    if let v = indicators[i].value, let dv = d?.value { indicators[i].differsFromDeclared = abs(v - dv) > 1e-9 }
                }
            }
            let rule = profile.schoolRule.map { rule in
                figures.stageKeys.compactMap { stage -> SchoolRuleResult? in
                    guard !school.isTeachingPoint, stage == .primary || stage == .junior else { return nil }
                    var ratios: [String: Double] = [:]
                    for i in indicators where i.stage == stage && i.assessed {
                        if let v = i.value, let t = i.target, t > 0 { ratios[i.key.rawValue] = v / t }
                    }
                    return rule.evaluate(stage: stage, ratios: ratios)
                }
            }
            var row = SchoolCoverage(
                schoolID: school.id, name: school.name, county: school.county, township: school.township,
                students: school.totalStudents, classes: school.totalClasses, teachingPoint: school.isTeachingPoint,
                indicators: indicators, gaps: figures.gaps(profile: profile), schoolRule: rule ?? [])
            if basis == .verified { row.recordingBasis = recording[school.id] ?? RecordingBasisTally() }
            schools.append(row)
            students[school.id] = figures.studentsByStage
        }
        let counties = registry.counties
        var report = CoverageReport(
            profile: profile.name, profileTitle: profile.title, plan: profile.plan, basis: basis, at: at.description,
            windowDays: windowDays, sources: sources,
            county: county(schools, students: students, name: counties.first ?? ""), schools: schools)
        if basis == .verified { report.recordingBasis = recording.values.reduce(RecordingBasisTally(), +) }
        if counties.count > 1 {
            addCounties(counties, to: &report, students: students)
        } else {
            report.county.townships = townships(schools, students: students)
        }
        return report
    }

    /// The profile's cited sources, without repeats, in profile order.
    var sources: [String] {
        var seen: Set<String> = []
        return (profile.targets.map(\.source) + (profile.schoolRule.map { [$0.source] } ?? [])).filter {
            seen.insert($0).inserted
        }
    }

    /// The figures of `schools` taken as one county called `name`: sums, the CV between them, gaps, tallies.
    func county(_ schools: [SchoolCoverage], students: [String: [IndicatorStage: Int]], name: String) -> CountyCoverage {
        var groups: [IndicatorGroupKey: [(students: Int, teachingPoint: Bool, value: IndicatorValue)]] = [:]
        for school in schools {
            for i in school.indicators {
                groups[IndicatorGroupKey(key: i.key, stage: i.stage), default: []].append(
                    (students[school.schoolID]?[i.stage] ?? 0, school.teachingPoint, i))
            }
        }
        var indicators: [IndicatorValue] = []
        for group in groups.keys.sorted() {
            let members = groups[group]!.filter { $0.value.assessed }
            let target = profile.target(group.key, group.stage)
            let measured = members.allSatisfy { $0.value.value != nil }
            let num = members.reduce(0.0) { $0 + $1.value.numerator }
            let den = members.reduce(0.0) { $0 + $1.value.denominator }
            let scale = group.key.scale
            var value = IndicatorValue(
                key: group.key, stage: group.stage, value: measured && den > 0 ? scale * num / den : nil, numerator: num,
                denominator: den, target: target?.threshold, assessed: !members.isEmpty)
            // 差异系数: teaching points under 50 students are left out of the balance.
            if measured {
                let samples = members.filter { !$0.teachingPoint }.map {
                    CoefficientOfVariation.Sample(
                        students: $0.students, numerator: $0.value.numerator, denominator: $0.value.denominator)
                }
                value.cv = CoefficientOfVariation.compute(samples, scale: scale)
            }
            value.cvTarget = target?.cvMax
            if let cv = value.cv, let max = value.cvTarget { value.cvMet = cv <= max + 1e-12 }
            if basis == .verified, den > 0, members.allSatisfy({ $0.value.declaredValue != nil }) {
                // Declared and verified share their denominators (classes, students, required rooms).
                value.declaredValue = members.reduce(0.0) { $0 + $1.value.declaredValue! * $1.value.denominator } / den
                if let v = value.value, let d = value.declaredValue { value.differsFromDeclared = abs(v - d) > 1e-9 }
            }
            indicators.append(value)
        }
        var totals: [String: GapTotal] = [:]
        for school in schools {
            var items: Set<String> = []
            for gap in school.gaps {
                totals[gap.item, default: GapTotal(item: gap.item, missing: 0, schools: 0)].missing += gap.missing
                if items.insert(gap.item).inserted { totals[gap.item]!.schools += 1 }
            }
        }
        var tallies: [IndicatorStage: SchoolRuleTally] = [:]
        for school in schools {
            for r in school.schoolRule {
                var t = tallies[r.stage] ?? SchoolRuleTally(stage: r.stage, meets: 0, fails: 0, undetermined: 0)
                switch r.status {
                case .meets: t.meets += 1
                case .fails: t.fails += 1
                case .undetermined: t.undetermined += 1
                }
                tallies[r.stage] = t
            }
        }
        return CountyCoverage(
            name: name, schools: schools.count,
            teachingPoints: schools.filter(\.teachingPoint).count, indicators: indicators,
            gaps: totals.values.sorted { $0.item < $1.item }, schoolRule: tallies.values.sorted { $0.stage < $1.stage })
    }
}

struct IndicatorGroupKey: Hashable, Comparable {
    var key: CoverageIndicatorKey
    var stage: IndicatorStage
    static func < (a: Self, b: Self) -> Bool { (a.key, a.stage) < (b.key, b.stage) }
}
