import Foundation
import Testing

@testable import ClassroomCore

/// The observation profile (rubric and quotas) and the rubric's check of a submitted form.
@Suite struct ObservationProfileTests {
    static let shipped = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appending(path: "Deploy/profiles/observation/luxi.toml")

    @Test func theShippedLuxiProfileHoldsThePlansQuotasAndTheStandardRubric() throws {
        let text = try String(contentsOf: Self.shipped, encoding: .utf8)
        let p = try ObservationProfile.load(text, file: "luxi.toml")
        #expect(p.rubric == .standard)
        #expect(p.quotas.principalPerWeek == 1 && p.quotas.vicePrincipalPerWeek == 2)
        #expect(p.quotas.schoolCoveragePerTerm == 0.6 && p.quotas.lessonMinutes == 10)
        #expect(p.quotas.source.contains("校长每周听课不少于 1 节") && p.quotas.source.contains("60%"))
        #expect(
            p.quotas.term(containing: LocalDate(year: 2026, month: 12, day: 4)).start == LocalDate(year: 2026, month: 9, day: 1))
        #expect(
            p.quotas.term(containing: LocalDate(year: 2026, month: 12, day: 4)).end == LocalDate(year: 2027, month: 2, day: 21))
    }

    @Test(arguments: [
        (
            "[evaluation]\nscale_min = 5\nscale_max = 5",
            "p.toml:4: evaluation.scale_max: the scale must be 0 ≤ scale_min < scale_max ≤ 100"
        ),
        ("[quotas]\nschool_coverage_per_term = 60", "p.toml:3: quotas.school_coverage_per_term: must be a share from 0 to 1"),
        (
            "[quotas]\nterm_starts = [\"2026-09-01\", \"2026-02-30\"]",
            "p.toml:3: quotas.term_starts: '2026-02-30' is not a date YYYY-MM-DD"
        ),
        (
            "[[item]]\nkey = \"a b\"\nzh = \"x\"\nen = \"x\"",
            "p.toml:3: item.key: 'a b' must be 1–40 ASCII letters, digits or '_'"
        ),
        (
            "[quotas]\nprincipal = 1",
            "p.toml:3: quotas.principal: unknown key (expected one of: lesson_minutes, principal_per_week, school_coverage_per_term, source, term_starts, vice_principal_per_week)"
        ),
    ])
    func badProfilesNameFileLineAndKey(body: String, expected: String) {
        do {
            _ = try ObservationProfile.load("name = \"x\"\n" + body, file: "p.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func theRubricRefusesNamingTheField() throws {
        let r = EvaluationRubric.standard
        let good = ["objectives": "4", "process": " 5 ", "technology": "1", "effect": "3"]
        #expect(try r.validate(scores: good, comment: "好") == ["objectives": 4, "process": 5, "technology": 1, "effect": 3])
        func field(_ scores: [String: String], _ comment: String = "") -> String? {
            do {
                _ = try r.validate(scores: scores, comment: comment)
                return nil
            } catch { return error.field }
        }
        #expect(field(good.merging(["effect": "6"]) { _, b in b }) == "score.effect")
        #expect(field(good.merging(["effect": "0"]) { _, b in b }) == "score.effect")
        #expect(field(good.merging(["effect": "4.5"]) { _, b in b }) == "score.effect")
        #expect(field(good.merging(["humour": "5"]) { _, b in b }) == "score.humour")
        #expect(field(good.filter { $0.key != "process" }) == "score.process")
        #expect(field(good, String(repeating: "字", count: 2001)) == "comment")
        #expect(field(good, String(repeating: "字", count: 2000)) == nil)
    }

    @Test func withoutTermStartsTheSchoolYearHalvesAreUsed() {
        let q = ObservationQuotas.luxi
        #expect(q.term(containing: LocalDate(year: 2026, month: 1, day: 10)).start == LocalDate(year: 2025, month: 9, day: 1))
        #expect(q.term(containing: LocalDate(year: 2026, month: 3, day: 10)).start == LocalDate(year: 2026, month: 2, day: 1))
        #expect(q.term(containing: LocalDate(year: 2026, month: 10, day: 10)).end == LocalDate(year: 2027, month: 1, day: 31))
    }
}
