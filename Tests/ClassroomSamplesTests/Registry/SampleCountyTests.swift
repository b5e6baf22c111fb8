import Testing

@testable import ClassroomCore
@testable import ClassroomSamples

@Suite struct SampleCountyTests {
    @Test func sameSeedSameCountyDifferentSeedDifferentCounty() {
        let a = SampleCounty(schools: 30, seed: 7).generate()
        let same = a == SampleCounty(schools: 30, seed: 7).generate()
        let different = a != SampleCounty(schools: 30, seed: 8).generate()
        #expect(same)
        #expect(different)
    }

    @Test func generatedCountyPassesTheLoaderAfterCSVRoundTrip() throws {
        let generated = SampleCounty(schools: 40, seed: 3).generate()
        let loaded = try RegistryLoader.load(RegistryCSVWriter.files(generated))
        // Compared part by part so that a failure names the first differing record, not the whole county.
        #expect(loaded.registry.schools.first { !generated.schools.contains($0) } == nil)
        #expect(loaded.registry.rooms.first { !generated.rooms.contains($0) } == nil)
        #expect(loaded.registry.teachers.count == generated.teachers.count)
        let sameTeachers = loaded.registry.teachers == generated.teachers
        let sameLessons = loaded.registry.lessons == generated.lessons
        #expect(sameTeachers)
        #expect(sameLessons)
        #expect(loaded.warnings.isEmpty)
    }

    @Test func countyIsRealistic() throws {
        let r = SampleCounty(schools: 200, seed: 11).generate()
        let summary = RegistrySummary(r)
        // Every kind of school appears, including teaching points and nine-year schools.
        #expect(summary.teachingPoints > 0)
        #expect(r.schools.contains { $0.primary.classes > 0 && $0.junior.classes > 0 })
        #expect(r.schools.contains { $0.junior.classes > 0 && $0.high.classes > 0 })
        // About one teacher per 15–20 students overall.
        let students = r.schools.reduce(0) { $0 + $1.totalStudents }
        let perTeacher = Double(students) / Double(r.teachers.count)
        #expect(perTeacher > 13 && perTeacher < 21, "\(perTeacher) students per teacher")
        // A classroom per class, and recording classrooms and labs exist.
        #expect(summary.rooms["classroom"] == r.schools.reduce(0) { $0 + $1.totalClasses })
        #expect(summary.rooms["recording"]! > 0 && summary.rooms["computer_lab"]! > 0)
        // Every teacher teaches on every weekday, and recording rooms are timetabled.
        var days: [String: Set<Int>] = [:]
        for l in r.lessons { days[l.teacherID, default: []].insert(l.weekday) }
        #expect(r.teachers.allSatisfy { days[$0.id] == Set(1...5) })
        let recording = Set(r.rooms.filter { $0.kind == .recording }.map(\.id))
        #expect(r.lessons.contains { recording.contains($0.roomID) })
    }
}
