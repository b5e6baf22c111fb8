import ClassroomSamples
import Foundation
import Testing

@testable import ClassroomCore

/// ``CoverageJSON/encode(_:)`` writes a report with many schools or townships in parts on several
/// threads and splices them; the bytes must be exactly those of one `JSONEncoder` pass, whatever the
/// report holds.
@Suite("The coverage JSON written in parts")
struct CoverageJSONSplitTests {
    static let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
    static let day = LocalDate(year: 2026, month: 11, day: 25)

    static func report(schools: Int, counties: Int, seed: UInt64, basis: CoverageBasis) throws -> CoverageReport {
        let registry = SampleCounty(schools: schools, seed: seed, counties: counties).generate()
        let evidence = SampleEvidence(seed: seed).generate(for: registry, at: day, zone: zone)
        return CoverageCalculator(
            profile: try TargetProfileTests.load("zhaotong-2025"), registry: registry, basis: basis,
            evidence: basis == .verified ? evidence : CoverageEvidence(), at: day, zone: zone
        ).report()
    }

    /// What one pass writes: the reference.
    static func onePass(_ report: CoverageReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report)) + [0x0A]
    }

    @Test(
        "county and prefecture, both bases, split from 2 schools or townships: the same bytes as one pass",
        arguments: [(1, CoverageBasis.verified), (3, .verified), (1, .declared), (3, .declared)])
    func sameBytes(counties: Int, basis: CoverageBasis) throws {
        for seed in UInt64(1)...3 {
            let report = try Self.report(schools: 60 + Int(seed) * 7, counties: counties, seed: seed, basis: basis)
            // One county has its township rows (split too); a prefecture its county rows.
            #expect(
                counties > 1 || (report.county.townships?.count ?? 0) >= 2, "\(report.county.townships?.count ?? 0) townships")
            for minimum in [2, 3, report.schools.count] {
                let parts = try #require(try CoverageJSON.inParts(report, splittingFrom: minimum), "split, seed \(seed)")
                #expect(parts == (try Self.onePass(report)), "seed \(seed)")
            }
            #expect(try CoverageJSON.encode(report) == Self.onePass(report))
        }
    }

    @Test func namesWithLineBreaksQuotesSlashesAndChineseAndEveryOptionalSet() throws {
        var report = try Self.report(schools: 9, counties: 1, seed: 7, basis: .verified)
        for i in report.schools.indices {
            report.schools[i].name = ["第一\n小学", "a \"quoted\"\tname", "路/径\\", "", "  schools : [ ]"][i % 5]
        }
        report.notMeasured = [NotMeasuredIndicator(key: .recordingClassrooms, reason: "no \"streams\"\nyet")]
        report.scope = "county:样例县"
        let page = report.pagingSchools(offset: 2, limit: 5)
        for r in [report, page] {
            #expect(try #require(try CoverageJSON.inParts(r, splittingFrom: 2)) == (try Self.onePass(r)))
        }
        // The default threshold splits only large reports; a small one is one pass anyway.
        #expect(try CoverageJSON.encode(report) == Self.onePass(report))
    }

    @Test func onlyTheListsLongEnoughAreSplitAndNeitherMeansOnePass() throws {
        var report = try Self.report(schools: 70, counties: 1, seed: 4, basis: .verified)
        let schools = report.schools
        let townships = try #require(report.county.townships)
        for n in [0, 1] {
            // Only the townships, then only the schools, then neither.
            report.schools = Array(schools.prefix(n))
            #expect(try #require(try CoverageJSON.inParts(report, splittingFrom: 0)) == (try Self.onePass(report)))
            report.schools = schools
            report.county.townships = Array(townships.prefix(n))
            #expect(try #require(try CoverageJSON.inParts(report, splittingFrom: 0)) == (try Self.onePass(report)))
            report.county.townships = nil
            #expect(try #require(try CoverageJSON.inParts(report, splittingFrom: 0)) == (try Self.onePass(report)))
            report.schools = Array(schools.prefix(n))
            #expect(try CoverageJSON.inParts(report, splittingFrom: 0) == nil)
            #expect(try CoverageJSON.encode(report) == Self.onePass(report))
            report.schools = schools
            report.county.townships = townships
        }
    }

    @Test func theIndentationPassAddsTwoSpacesAtEachLineStartButAnEmptyArraysEmptyLine() {
        var out: [UInt8] = []
        CoverageJSON.indented(ArraySlice(Array("  {\n    \"a\" : [\n\n    ]\n  }".utf8)), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "    {\n      \"a\" : [\n\n      ]\n    }")
        #expect(CoverageJSON.elements(Array("[\n  1,\n  2\n]".utf8)).map { String(decoding: $0, as: UTF8.self) } == "  1,\n  2")
        #expect(CoverageJSON.elements(Array("[\n\n]".utf8)) == nil)
        #expect(CoverageJSON.elements(Array("{\n  \"a\" : 1\n}".utf8)) == nil)
    }
}
