import ClassroomCore
import ClassroomReports
import Foundation
import Testing

@testable import ClassroomControl

/// The table and the HTML report say what the recording-room figures rest on (verified basis only).
@Suite struct CoverageRecordingBasisRenderingTests {
    static func report(basis: RecordingBasisTally?) -> CoverageReport {
        var r = CoverageRenderingTests.verifiedReport()
        r.recordingBasis = basis
        return r
    }

    static let tally = RecordingBasisTally(rooms: 4, spotCheck: 1, selfTest: 2, noStream: 1, noEquipment: 0)

    @Test func theTableNamesSpotCheckAndSelfTestCounts() {
        let zh = CoverageTableRenderer(report: Self.report(basis: Self.tally), lang: .zh).render()
        #expect(zh.contains("录播教室核验依据: 录播教室 4 间：已核验 3 间（抽查直播 1、自检推流 2），有摄像头和麦克风但窗口内无成功推流 1 间，设备未核验 0 间"))
        let en = CoverageTableRenderer(report: Self.report(basis: Self.tally), lang: .en).render()
        #expect(
            en.contains(
                "Basis of the recording-room figures: Recording rooms: 4; verified 3 (by spot-check stream 1, by self-test 2)"))
        #expect(!CoverageTableRenderer(report: Self.report(basis: nil), lang: .zh).render().contains("录播教室核验依据"))
    }

    @Test func theHTMLReportCarriesTheBasis() {
        let html = CoverageHTMLRenderer(report: Self.report(basis: Self.tally), lang: .zh).render()
        #expect(html.contains("<b>录播教室核验依据</b>：录播教室 4 间：已核验 3 间（抽查直播 1、自检推流 2）"))
        #expect(!CoverageHTMLRenderer(report: Self.report(basis: nil), lang: .zh).render().contains("录播教室核验依据"))
    }

    @Test func theVerifiedReportComputesItAndTheJSONCarriesIt() throws {
        let computed = CoverageRenderingTests.verifiedReport()
        // The fixture has no recording room: zero rooms, but the basis is stated on the verified basis.
        #expect(computed.recordingBasis == RecordingBasisTally())
        let json = String(decoding: try JSONEncoder().encode(Self.report(basis: Self.tally)), as: UTF8.self)
        #expect(json.contains("\"recording_basis\":{"))
        let back = try JSONDecoder().decode(CoverageReport.self, from: Data(json.utf8))
        #expect(back.recordingBasis == Self.tally)
    }
}
