import ClassroomCollector
import ClassroomCore
import ClassroomSamples
import ClassroomTestSupport
import Foundation
import Testing

/// `classroom-collector bench-load` (the province benchmark's loader) on a small province: the store
/// holds what the report then reads, and a bad day is refused.
@Suite("classroom-collector bench-load")
struct BenchLoadTests {
    @Test("a small synthetic province: registry, the asked number of devices, events the coverage reader finds")
    func smallProvince() async throws {
        let dir = try TestProcess.temporaryDirectory("bench-load")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: "p.sqlite").path
        let tool = try TestProcess.product("classroom-collector")
        let run = try TestProcess.run(
            tool, ["bench-load", "--db", "sqlite:" + path, "--schools", "4", "--devices", "60", "--at", "2026-11-22"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("60 devices enrolled"), "\(run.stdout)")
        let store = try CollectorSQLiteStore(path: path)
        let registry = try await store.registry()
        #expect(registry.schools.count == 4)
        #expect(registry == SampleCounty(schools: 4, seed: 1).generate().canonicalForTest)
        #expect(try await store.devices(schoolID: nil).count == 60)
        let end = Int64(
            try CountyTimeZone.named("Asia/Shanghai").instant(
                of: LocalDate(year: 2026, month: 11, day: 23), at: TimeOfDay(minutes: 0)
            )
            .timeIntervalSince1970 * 1000)
        let read = try await CoverageEvidenceReader(store: store).read(end: end, windowDays: 7)
        #expect(!read.evidence.rooms.isEmpty)
        #expect(read.evidence.activeMinutes.values.contains { !$0.isEmpty })

        let bad = try TestProcess.run(tool, ["bench-load", "--db", "sqlite:" + path, "--at", "next week"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--at 'next week'"), "\(bad.stderr)")
    }
}

extension Registry {
    /// The order both stores return a registry in (schools, rooms, teachers by id; lessons by school, room, day, time).
    var canonicalForTest: Registry {
        Registry(
            schools: schools.sorted { $0.id < $1.id }, rooms: rooms.sorted { $0.id < $1.id },
            teachers: teachers.sorted { $0.id < $1.id },
            lessons: lessons.sorted {
                ($0.schoolID, $0.roomID, $0.weekday, $0.start.minutes, $0.teacherID)
                    < ($1.schoolID, $1.roomID, $1.weekday, $1.start.minutes, $1.teacherID)
            })
    }
}
