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
    ///
    /// Rooms and schools are handled by ordinal (their index in the registry) and the rooms' figures
    /// kept in arrays: a province has 233,000 rooms, and keying them by id hashed each id several times.
    public func report() -> CoverageReport {
        let rooms = registry.rooms
        let schoolRooms = SchoolRooms(schools: registry.schools, rooms: rooms)
        let window = Duration.seconds(Int64(windowDays) * 86_400)
        let now = self.now
        // Capabilities once per room, by room ordinal; the usage counter needs the equipped rooms first.
        let declaredCapabilities = rooms.indices.map { RoomCapabilities.declared(rooms[$0]) }
        var verified: [RoomCapabilities] = []
        // By canonical school ordinal (``SchoolRooms/canonical``), and over every recording room.
        var recording: [RecordingBasisTally] = []
        var recordingTotal = RecordingBasisTally()
        var usage: UsageCounter?
        if basis == .verified {
            verified.reserveCapacity(rooms.count)
            recording = Array(repeating: RecordingBasisTally(), count: registry.schools.count)
            var equipped: [Int] = []
            for r in rooms.indices {
                let evidence = evidence.rooms[rooms[r].id]
                let caps = RoomCapabilities.verified(rooms[r], evidence: evidence, now: now, window: window)
                verified.append(caps)
                if caps.contains(.smartBlackboard) { equipped.append(r) }
                if let basis = RecordingBasis.of(rooms[r], evidence: evidence, now: now, window: window) {
                    recordingTotal.add(basis)
                    if let s = schoolRooms.schoolOfRoom[r] { recording[Int(s)].add(basis) }
                }
            }
            usage = UsageCounter(calculator: self, equipped: equipped)
        }

        var schools: [SchoolCoverage] = []
        var ownStudents: [StageStudents] = []
        schools.reserveCapacity(registry.schools.count)
        ownStudents.reserveCapacity(registry.schools.count)
        for (s, school) in registry.schools.enumerated() {
            let own = schoolRooms.rooms(ofSchool: s)
            let declared = SchoolFigures(
                school: school, rooms: own, of: rooms, capabilities: declaredCapabilities, profile: profile)
            var figures = declared
            if basis == .verified {
                figures = SchoolFigures(school: school, rooms: own, of: rooms, capabilities: verified, profile: profile)
                if let usage { figures.addUsage(usage.periods(school: school, rooms: own, of: rooms)) }
            }
            var indicators = figures.indicators(profile: profile, basis: basis)
            if basis == .verified {
                let declaredValues = declared.indicators(profile: profile, basis: .declared)
                for i in indicators.indices {
                    let key = indicators[i].key
                    let stage = indicators[i].stage
                    // Both lists come from the same stages and profile, so the same place holds the same
                    // indicator; the search only stands behind that.
                    let d =
                        i < declaredValues.count && declaredValues[i].key == key && declaredValues[i].stage == stage
                        ? declaredValues[i] : declaredValues.first { $0.key == key && $0.stage == stage }
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
            if basis == .verified { row.recordingBasis = recording[schoolRooms.canonical[s]] }
            schools.append(row)
            ownStudents.append(figures.studentsByStage)
        }
        // A school's students are those of the last school of its id, as when they were kept by id.
        let students = schoolRooms.canonical.map { ownStudents[$0] }
        let counties = registry.counties
        var report = CoverageReport(
            profile: profile.name, profileTitle: profile.title, plan: profile.plan, basis: basis, at: at.description,
            windowDays: windowDays, sources: sources,
            county: county(schools.indices, of: schools, students: students, name: counties.first ?? ""), schools: schools)
        if basis == .verified { report.recordingBasis = recordingTotal }
        if counties.count > 1 {
            addCounties(counties, to: &report, students: students)
        } else {
            report.county.townships = townships(schools.indices, of: schools, students: students)
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

    /// The figures of the `members` of `all` (indices in the report's schools) taken as one county
    /// called `name`: sums, the CV between them, gaps, tallies.
    func county(
        _ members: some Collection<Int>, of all: [SchoolCoverage], students: [StageStudents], name: String
    ) -> CountyCoverage {
        var groups: [IndicatorGroupKey: [(students: Int, teachingPoint: Bool, value: IndicatorValue)]] = [:]
        for s in members {
            for i in all[s].indicators {
                groups[IndicatorGroupKey(key: i.key, stage: i.stage), default: []].append(
                    (students[s][i.stage], all[s].teachingPoint, i))
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
        for s in members {
            var items: Set<String> = []
            for gap in all[s].gaps {
                totals[gap.item, default: GapTotal(item: gap.item, missing: 0, schools: 0)].missing += gap.missing
                if items.insert(gap.item).inserted { totals[gap.item]!.schools += 1 }
            }
        }
        var tallies: [IndicatorStage: SchoolRuleTally] = [:]
        for s in members {
            for r in all[s].schoolRule {
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
            name: name, schools: members.count,
            teachingPoints: members.count { all[$0].teachingPoint }, indicators: indicators,
            gaps: totals.values.sorted { $0.item < $1.item }, schoolRule: tallies.values.sorted { $0.stage < $1.stage })
    }
}

struct IndicatorGroupKey: Hashable, Comparable {
    var key: CoverageIndicatorKey
    var stage: IndicatorStage
    static func < (a: Self, b: Self) -> Bool { (a.key, a.stage) < (b.key, b.stage) }
}
