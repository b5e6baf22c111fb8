import ClassroomCore

/// The schools' declared resources of the national standard (the optional columns of `schools.csv`),
/// after the evaluations' migration in ``CollectorSchema/migrations``: one nullable number per
/// compulsory stage and resource, named as the CSV column (`primary_backbone_teachers`); NULL is a
/// blank cell.
enum SchoolResourceSchema {
    /// (stage, resource, column) in the order of ``SchoolResource/columns``.
    static let columns: [(stage: Stage, resource: SchoolResource, name: String)] = SchoolResource.stages.flatMap { stage in
        SchoolResource.allCases.map { (stage, $0, $0.column(stage)) }
    }

    static let migration = CollectorSchema.Migration(
        name: "v550-school-resources",
        statements: columns.map { "ALTER TABLE schools ADD COLUMN \($0.name) {REAL}" })

    /// A school's stage with the resources read back from a row (`value(column)` is nil for NULL).
    static func resources(_ value: (String) throws -> Double?) rethrows -> [Stage: [SchoolResource: Double]] {
        var out: [Stage: [SchoolResource: Double]] = [:]
        for c in columns {
            if let v = try value(c.name) { out[c.stage, default: [:]][c.resource] = v }
        }
        return out
    }
}

extension School {
    /// The school with `resources` set on its stages.
    func declaring(_ resources: [Stage: [SchoolResource: Double]]) -> School {
        var s = self
        s.primary.resources = resources[.primary] ?? [:]
        s.junior.resources = resources[.junior] ?? [:]
        return s
    }
}
