/// Writes a registry as the four CSV files of ARCHITECTURE.md §5, UTF-8 with a byte-order mark so
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
                b.append(contentsOf: CSVReader.escape(f).utf8)
            }
        }
        out[RegistryLoader.schoolsFile] = file(RegistryLoader.schoolColumns, rows: r.schools.count) { i, b in
            let s = r.schools[i]
            put(
                &b, s.id, s.name, s.county, s.township, String(s.primary.classes), String(s.primary.students),
                String(s.junior.classes), String(s.junior.students), String(s.high.classes), String(s.high.students))
        }
        out[RegistryLoader.roomsFile] = file(RegistryLoader.roomColumns + RegistryLoader.roomOptionalColumns, rows: r.rooms.count)
        { i, b in
            let room = r.rooms[i]
            put(
                &b, room.id, room.schoolID, room.name, room.kind.rawValue, room.stage.rawValue, room.className,
                (room.declared ?? []).sorted().map(\.rawValue).joined(separator: ";"))
        }
        out[RegistryLoader.teachersFile] = file(RegistryLoader.teacherColumns, rows: r.teachers.count) { i, b in
            let t = r.teachers[i]
            put(&b, t.id, t.schoolID, t.name, t.subjects.joined(separator: ";"))
        }
        out[RegistryLoader.timetableFile] = file(RegistryLoader.timetableColumns, rows: r.lessons.count) { i, b in
            let l = r.lessons[i]
            put(&b, l.schoolID, l.roomID, l.teacherID, String(l.weekday), l.start.description, l.end.description, l.subject)
        }
        return out
    }
}
