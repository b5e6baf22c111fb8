import ClassroomCore

extension SampleCounty {
    /// Mixed into the seed of the generator of declared resources (ASCII "RESOURCE").
    static let resourceSeed: UInt64 = 0x5245_534F_5552_4345

    /// The national standard's thresholds (primary, junior) that sample values scatter around; the
    /// same figures as `Deploy/profiles/national-quality-balance.toml`.
    static let resourceStandard: [SchoolResource: (primary: Double, junior: Double)] = [
        .qualifiedTeachers: (4.2, 5.3), .backboneTeachers: (1, 1), .peArtTeachers: (0.9, 0.9),
        .teachingArea: (4.5, 5.8), .sportsArea: (7.5, 10.2), .equipmentValue: (2000, 2500),
    ]

    /// Declares the six resources of each compulsory stage of a school: a school-wide level (some
    /// schools well provided, some short) times a small spread per resource, so that some schools
    /// meet the national school rule and some fail it. Teaching points (under 50 students, outside
    /// the assessment) declare nothing; every 40th school leaves its primary sports ground blank, as
    /// a school that never measured it would.
    static func declareResources(_ school: inout School, n: Int, teachers: [Stage: Int], rng: inout SeededGenerator) {
        guard !school.isTeachingPoint else { return }
        let level = Double.random(in: 0.9...1.35, using: &rng)
        for stage in SchoolResource.stages where school[stage].classes > 0 {
            let students = Double(school[stage].students)
            var resources: [SchoolResource: Double] = [:]
            for resource in SchoolResource.allCases {
                let standard = resourceStandard[resource]!
                let rate =
                    (stage == .primary ? standard.primary : standard.junior) * level
                    * Double.random(in: 0.9...1.12, using: &rng)
                if resource == .sportsArea, stage == .primary, n % 40 == 39 { continue }
                if resource.isCount {
                    // Never more such teachers than the stage has.
                    resources[resource] = min(Double(teachers[stage] ?? 0), (rate * students / 100).rounded())
                } else {
                    resources[resource] = (rate * students).rounded()
                }
            }
            switch stage {
            case .primary: school.primary.resources = resources
            case .junior: school.junior.resources = resources
            case .high: break
            }
        }
    }
}
