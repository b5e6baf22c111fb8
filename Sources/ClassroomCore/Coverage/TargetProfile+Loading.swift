extension TargetProfile {
    static let rootKeys: Set<String> = ["name", "title", "plan", "year", "prefecture"]
    static let countyKeys: Set<String> = ["name", "profile"]
    static let targetKeys: Set<String> = [
        "indicator", "stages", "threshold", "cv_max", "min_classes", "classes_per_room", "unit", "source",
    ]
    static let ruleKeys: Set<String> = ["indicators", "min_met", "rest_ratio", "source"]

    /// Parses a profile; every error is `FILE:LINE: key: message`.
    ///
    /// ```toml
    /// name = "luxi-2025"
    /// title = "泸西县 2025 年"
    /// plan = "…"
    /// [[target]]
    /// indicator = "digital_classroom_coverage"
    /// stages = ["primary", "junior", "high"]
    /// threshold = 1.0
    /// source = "…"
    /// ```
    public static func load(_ text: String, file: String) throws(TOMLError) -> TargetProfile {
        let doc = try TOMLDocument.parse(text, file: file)
        try doc.root.rejectUnknownKeys(allowed: rootKeys)
        for (name, table) in doc.tables where name != "school_rule" {
            throw TOMLError(file: file, line: table.line, key: name, message: "unknown table (expected [school_rule])")
        }
        for (name, tables) in doc.arrays where name != "target" && name != "county" {
            throw TOMLError(
                file: file, line: tables.first?.line ?? 0, key: name, message: "unknown array (expected [[target]] or [[county]])"
            )
        }
        let name = try doc.root.require("name", doc.root.string)
        let title = try doc.root.string("title") ?? name
        let plan = try doc.root.require("plan", doc.root.string)
        var year: Int?
        if let y = try doc.root.integer("year") {
            guard (2000...2100).contains(y) else { throw doc.root.error("year", "must be between 2000 and 2100") }
            year = Int(y)
        }
        guard let tables = doc.arrays["target"], !tables.isEmpty else {
            throw TOMLError(file: file, line: 0, key: "target", message: "a profile needs at least one [[target]]")
        }
        var targets: [IndicatorTarget] = []
        for table in tables {
            for target in try Self.targets(table) {
                if let earlier = targets.first(where: { $0.key == target.key && $0.stage == target.stage }) {
                    throw table.error(
                        "stages", "\(earlier.key.rawValue) for \(earlier.stage.rawValue) is already set by an earlier [[target]]")
                }
                targets.append(target)
            }
        }
        var rule: SchoolRule?
        if let table = doc.tables["school_rule"] { rule = try Self.schoolRule(table) }
        var profile = TargetProfile(name: name, title: title, plan: plan, year: year, targets: targets, schoolRule: rule)
        profile.prefecture = try doc.root.string("prefecture")
        for table in doc.arrays["county"] ?? [] {
            try table.rejectUnknownKeys(allowed: countyKeys)
            let county = try table.require("name", table.string)
            let other = try table.require("profile", table.string)
            guard !other.isEmpty, other.count <= 100,
                other.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) })
            else {
                throw table.error("profile", "'\(other)' is not a profile name (letters, digits, '-', '_')")
            }
            guard profile.countyProfiles[county] == nil else { throw table.error("name", "county '\(county)' is listed twice") }
            profile.countyProfiles[county] = other
        }
        return profile
    }

    static func targets(_ t: TOMLTable) throws(TOMLError) -> [IndicatorTarget] {
        try t.rejectUnknownKeys(allowed: targetKeys)
        let keyName = try t.require("indicator", t.string)
        guard let key = CoverageIndicatorKey(rawValue: keyName) else {
            throw t.error(
                "indicator",
                "unknown indicator '\(keyName)' (expected one of: "
                    + CoverageIndicatorKey.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let stageNames = try t.require("stages", t.stringArray)
        guard !stageNames.isEmpty else { throw t.error("stages", "must name at least one stage") }
        var stages: [IndicatorStage] = []
        for s in stageNames {
            guard let stage = IndicatorStage(rawValue: s) else {
                throw t.error("stages", "unknown stage '\(s)' (expected primary, junior, high or all)")
            }
            guard key.isSchoolWide == (stage == .all) else {
                throw t.error(
                    "stages",
                    key.isSchoolWide ? "\(key.rawValue) is school-wide: use [\"all\"]" : "'all' is only for network_access")
            }
            stages.append(stage)
        }
        let threshold = try t.require("threshold", t.number)
        guard threshold >= 0, !key.isShare || threshold <= 1 else {
            throw t.error("threshold", key.isShare ? "a share must be between 0 and 1 (1.0 = 100 %)" : "must not be negative")
        }
        let cvMax = try t.number("cv_max")
        if let cvMax, cvMax <= 0 { throw t.error("cv_max", "must be greater than 0") }
        let minClasses = try t.integer("min_classes") ?? 0
        guard minClasses >= 0 else { throw t.error("min_classes", "must not be negative") }
        let perRoom = try t.integer("classes_per_room")
        if let perRoom {
            guard key == .recordingClassrooms else { throw t.error("classes_per_room", "only applies to recording_classrooms") }
            guard perRoom > 0 else { throw t.error("classes_per_room", "must be greater than 0") }
        }
        // The unit is fixed by the indicator; writing it down in the profile documents the threshold,
        // and a different one (万元 for 元, per student for per 100) is refused rather than misread.
        if let unit = try t.string("unit"), unit != key.unit {
            throw t.error("unit", "'\(unit)' is not the unit of \(key.rawValue) (expected '\(key.unit)')")
        }
        let source = try t.require("source", t.string)
        guard !source.isEmpty else { throw t.error("source", "cite the plan the target comes from") }
        return stages.map {
            IndicatorTarget(
                key: key, stage: $0, threshold: threshold, cvMax: cvMax, minClasses: Int(minClasses),
                classesPerRoom: perRoom.map { Int($0) }, source: source)
        }
    }

    static func schoolRule(_ t: TOMLTable) throws(TOMLError) -> SchoolRule {
        try t.rejectUnknownKeys(allowed: ruleKeys)
        let names = try t.require("indicators", t.stringArray)
        let known = Set(CoverageIndicatorKey.allCases.map(\.rawValue))
        for n in names where !known.contains(n) {
            throw t.error("indicators", "unknown indicator '\(n)'")
        }
        guard !names.isEmpty else { throw t.error("indicators", "must name at least one indicator") }
        let minMet = try t.require("min_met", t.integer)
        guard (1...Int64(names.count)).contains(minMet) else {
            throw t.error("min_met", "must be between 1 and the number of indicators (\(names.count))")
        }
        let rest = try t.require("rest_ratio", t.number)
        guard rest > 0, rest <= 1 else { throw t.error("rest_ratio", "must be in (0, 1]") }
        let source = try t.require("source", t.string)
        return SchoolRule(indicators: names, minMet: Int(minMet), restRatio: rest, source: source)
    }
}
