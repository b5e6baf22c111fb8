import ClassroomCore
import ClassroomReports
import Foundation
import Testing

@testable import ClassroomControl

/// The renderers on a verified-basis report built in process (the CLI gets verified figures from the
/// collector): declared figures shown beside verified ones, differences flagged.
@Suite struct CoverageRenderingTests {
    static func verifiedReport() -> CoverageReport {
        let school = School(
            id: "S1", name: "城关小学", county: "测试县", township: "城关镇", primary: StageEnrollment(classes: 2, students: 90))
        let rooms = [
            Room(
                id: "R1", schoolID: "S1", name: "一班", kind: .classroom, stage: .primary, declared: [.display, .touch, .network]),
            Room(
                id: "R2", schoolID: "S1", name: "二班", kind: .classroom, stage: .primary, declared: [.display, .touch, .network]),
        ]
        let zone = CountyTimeZone(fixedOffsetSeconds: 8 * 3600)
        let day = LocalDate(year: 2026, month: 11, day: 25)
        let seen = zone.instant(of: day, at: TimeOfDay(minutes: 9 * 60))
        let kit = HardwareInventory(
            touchscreens: [Touchscreen(id: "t", name: "touch", devnode: "/dev/input/event3")],
            displays: [Display(connector: "HDMI-A-1", card: "card0", status: .connected)])
        let evidence = CoverageEvidence(rooms: ["R1": RoomEvidence(inventory: kit, inventoryAt: seen, lastSeen: seen)])
        let profile = TargetProfile(
            name: "t", title: "测试目标", plan: "测试方案",
            targets: [IndicatorTarget(key: .smartBlackboardClassCoverage, stage: .primary, threshold: 1, source: "测试")])
        return CoverageCalculator(
            profile: profile, registry: Registry(schools: [school], rooms: rooms, teachers: [], lessons: []), basis: .verified,
            evidence: evidence, at: day, zone: zone
        ).report()
    }

    @Test func tableShowsDeclaredBesideVerified() {
        let text = CoverageTableRenderer(report: Self.verifiedReport(), lang: .zh).render()
        #expect(text.contains("口径: 终端核验"))
        #expect(text.contains("学校申报值"))
        // Verified 1 of 2 classes, declared 2 of 2.
        #expect(text.contains("50.0%"))
        #expect(text.contains("≠ 100.0%"))
    }

    @Test func htmlShowsDeclaredColumnAndGap() {
        let html = CoverageHTMLRenderer(report: Self.verifiedReport(), lang: .en).render()
        #expect(html.contains("<th>Declared</th>"))
        #expect(html.contains("≠ 100.0%"))
        #expect(html.contains("smart blackboards"))
    }

    @Test func csvQuotesFieldsWithCommas() {
        #expect(CoverageCSVRenderer.field("a,b") == "\"a,b\"")
        #expect(CoverageCSVRenderer.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CoverageCSVRenderer.field("纯文本") == "纯文本")
        #expect(CoverageCSVRenderer.number(0.6) == "0.6")
        #expect(CoverageCSVRenderer.number(12) == "12")
        #expect(CoverageCSVRenderer.number(nil) == "")
    }
}
