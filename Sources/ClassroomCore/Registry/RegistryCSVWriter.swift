/// Writes a registry as the four CSV files of ARCHITECTURE.md §5 (and `calendar.csv` when it has one), UTF-8 with a byte-order mark so
/// that Excel in a Chinese locale opens them correctly.
public enum RegistryCSVWriter {
    /// File name → bytes, for every registry file.
    public static func files(_ r: Registry, byteOrderMark: Bool = true) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        func file(_ header: [String], rows: Int, _ row: (Int, inout [UInt8]) -> Void) -> [UInt8] {
            var b: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
            b.reserveCapacity(rows * 64 + 128)
            b.append(contentsOf: header.joined(separator: ",").utf8)
            b.append(0x0A)
            for i in 0..<rows {
                row(i, &b)
                b.append(0x0A)
            }
            return b
        }
        func put(_ b: inout [UInt8], _ fields: String...) {
            for (i, f) in fields.enumerated() {
                if i > 0 { b.append(UInt8(ascii: ",")) }
                append(field: f, to: &b)
            }
        }
        // The resource columns are written only when a school declares one, so registries without them stay as they were.
        let resources = r.schools.contains { s in SchoolResource.stages.contains { !s[$0].resources.isEmpty } }
        out[RegistryLoader.schoolsFile] = file(
            RegistryLoader.schoolColumns + (resources ? RegistryLoader.schoolOptionalColumns : []), rows: r.schools.count
        ) { i, b in
            let s = r.schools[i]
            put(
                &b, s.id, s.name, s.county, s.township, String(s.primary.classes), String(s.primary.students),
                String(s.junior.classes), String(s.junior.students), String(s.high.classes), String(s.high.students))
            guard resources else { return }
            for stage in SchoolResource.stages {
                for resource in SchoolResource.allCases {
                    b.append(UInt8(ascii: ","))
                    if let v = s[stage].resources[resource] { b.append(contentsOf: number(v).utf8) }
                }
            }
        }
        out[RegistryLoader.roomsFile] = file(RegistryLoader.roomColumns + RegistryLoader.roomOptionalColumns, rows: r.rooms.count)
        { i, b in
            let room = r.rooms[i]
            put(
                &b, room.id, room.schoolID, room.name, room.kind.rawValue, room.stage.rawValue, room.className,
                (room.declared ?? []).sorted().map(\.rawValue).joined(separator: ";"))
        }
        // `position` is written only when a teacher has one, so registries without it stay as they were.
        if r.teachers.contains(where: { $0.position != nil }) {
            out[RegistryLoader.teachersFile] = file(
                RegistryLoader.teacherColumns + RegistryLoader.teacherOptionalColumns, rows: r.teachers.count
            ) { i, b in
                let t = r.teachers[i]
                put(&b, t.id, t.schoolID, t.name, t.subjects.joined(separator: ";"), t.position?.rawValue ?? "")
            }
        } else {
            out[RegistryLoader.teachersFile] = file(RegistryLoader.teacherColumns, rows: r.teachers.count) { i, b in
                let t = r.teachers[i]
                put(&b, t.id, t.schoolID, t.name, t.subjects.joined(separator: ";"))
            }
        }
        // The timetable is most of a province-scale registry (millions of rows): no per-row arrays or strings.
        out[RegistryLoader.timetableFile] = file(RegistryLoader.timetableColumns, rows: r.lessons.count) { i, b in
            let l = r.lessons[i]
            append(field: l.schoolID, to: &b)
            b.append(UInt8(ascii: ","))
            append(field: l.roomID, to: &b)
            b.append(UInt8(ascii: ","))
            append(field: l.teacherID, to: &b)
            b.append(UInt8(ascii: ","))
            if (0...9).contains(l.weekday) {
                b.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: l.weekday))
            } else {
                b.append(contentsOf: String(l.weekday).utf8)
            }
            b.append(UInt8(ascii: ","))
            append(time: l.start, to: &b)
            b.append(UInt8(ascii: ","))
            append(time: l.end, to: &b)
            b.append(UInt8(ascii: ","))
            append(field: l.subject, to: &b)
        }
        if let calendar = r.calendar {
            // `timetable_weekday` only when a make-up day uses it, so plain calendars keep three columns.
            let follows = calendar.days.contains { $0.timetableWeekday != nil }
            let header = RegistryLoader.calendarColumns + (follows ? RegistryLoader.calendarOptionalColumns : [])
            out[RegistryLoader.calendarFile] = file(header, rows: calendar.days.count) { i, b in
                let d = calendar.days[i]
                put(&b, d.date.description, d.kind.rawValue, d.note)
                if follows {
                    b.append(UInt8(ascii: ","))
                    append(field: d.timetableWeekday.map(String.init) ?? "", to: &b)
                }
            }
        }
        return out
    }

    /// A declared quantity as the loader reads it back: `12` for whole numbers, else the shortest decimal.
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// Appends one field, quoted only when it holds a comma, quote or line break.
    @inline(__always)
    static func append(field: String, to b: inout [UInt8]) {
        var plain = true
        for c in field.utf8 where c == UInt8(ascii: ",") || c == UInt8(ascii: "\"") || c == 0x0A || c == 0x0D {
            plain = false
            break
        }
        if plain {
            b.append(contentsOf: field.utf8)
        } else {
            b.append(contentsOf: CSVReader.escape(field).utf8)
        }
    }

    /// Appends `HH:MM`.
    @inline(__always)
    static func append(time t: TimeOfDay, to b: inout [UInt8]) {
        let h = t.minutes / 60
        let m = t.minutes % 60
        guard (0..<100).contains(h) else { return b.append(contentsOf: t.description.utf8) }
        b.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: h / 10))
        b.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: h % 10))
        b.append(UInt8(ascii: ":"))
        b.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m / 10))
        b.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10))
    }
}
