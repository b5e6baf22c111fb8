import Testing

@testable import ClassroomCollector

/// The pure parts of live viewing: the public stream name, the strict HLS path, the stream state.
@Suite("Lesson viewing: names, HLS paths, stream state")
struct LessonViewingTests {
    @Test(
        "a lesson's playlist and fragments name its order; query ignored",
        arguments: [
            ("/media/hls/lesson-2026-W48-03/index.m3u8", "2026-W48-03"),
            ("/media/hls/lesson-now-1a2b3c4d/17.ts", "now-1a2b3c4d"),
            ("/media/hls/lesson-now-1/index.m3u8?t=1733300000000", "now-1"),
        ])
    func accepted(uri: String, order: String) {
        #expect(LessonViewing.orderID(hlsURI: uri) == order)
    }

    @Test(
        "anything else is no lesson: traversal, encodings, other files, keys, other prefixes",
        arguments: [
            "", "/", "/media/hls/", "/media/hls/lesson-/index.m3u8", "/media/hls/lesson-a/../lesson-b/index.m3u8",
            "/media/hls/lesson-a/%2e%2e/index.m3u8", "/media/hls/lesson-a%2Fb/index.m3u8", "/media/hls//lesson-a/index.m3u8",
            "/media/hls/lesson-a/index.m3u8/", "/media/hls/lesson-a/index.m3u", "/media/hls/lesson-a/1.ts.m3u8",
            "/media/hls/lesson-a/x.ts", "/media/hls/lesson-a/.ts", "/media/hls/lesson-a/1.mp4", "/media/hls/lesson-a;x/1.ts",
            "/media/hls/cfk_abcdef/index.m3u8", "/media/hls/lesson-a", "/MEDIA/hls/lesson-a/index.m3u8",
            "/media/hls/lesson-a b/index.m3u8", "/media/hls/lesson-\(String(repeating: "x", count: 65))/index.m3u8",
            "/media/hls/lesson-é/index.m3u8", "/console/lessons/lesson-a/index.m3u8",
        ])
    func refused(uri: String) {
        #expect(LessonViewing.orderID(hlsURI: uri) == nil)
    }

    @Test("the public name and the playlist URL round-trip; a stream key is not a public name")
    func names() {
        #expect(LessonViewing.publicStreamName(orderID: "2026-W48-03") == "lesson-2026-W48-03")
        #expect(LessonViewing.orderID(publicStreamName: "lesson-2026-W48-03") == "2026-W48-03")
        #expect(LessonViewing.orderID(publicStreamName: "cfk_AbC-12") == nil)
        #expect(LessonViewing.orderID(publicStreamName: "lesson-a/b") == nil)
        #expect(LessonViewing.orderID(hlsURI: LessonViewing.playlistPath(orderID: "now-9")) == "now-9")
        #expect(LessonViewing.idleMillis == 30_000)
    }

    @Test("stream state: waiting, live, ended, failed (no device, excused, window closed without a stream)")
    func streamState() {
        var o = SpotCheckOrderRecord(
            id: "now-1", week: "2026-W48", source: "now", position: 0, round: 0, teacherID: "T", teacherName: "张",
            schoolID: "S1", roomID: "R1", weekday: 1, startMinute: 480, endMinute: 520, subject: "语文", lessonStart: 1_000_000,
            lessonEnd: 3_400_000, createdAt: 0)
        let grace: Int64 = 300_000
        #expect(LessonStreamState.of(o, now: 900_000, graceMillis: grace) == .waiting)
        #expect(LessonStreamState.of(o, now: 3_700_000, graceMillis: grace) == .waiting)
        #expect(LessonStreamState.of(o, now: 3_700_001, graceMillis: grace) == .failed)
        o.dispatchedAt = 1_000_000
        o.dispatchNote = "no_device"
        #expect(LessonStreamState.of(o, now: 1_000_001, graceMillis: grace) == .failed)
        o.dispatchNote = "sent"
        #expect(LessonStreamState.of(o, now: 1_000_001, graceMillis: grace) == .waiting)
        o.publishStartedAt = 1_010_000
        #expect(LessonStreamState.of(o, now: 9_000_000, graceMillis: grace) == .live)
        o.publishEndedAt = 3_400_000
        #expect(LessonStreamState.of(o, now: 3_400_001, graceMillis: grace) == .ended)
        var excused = o
        excused.publishStartedAt = nil
        excused.publishEndedAt = nil
        excused.excusedAt = 2_000_000
        #expect(LessonStreamState.of(excused, now: 2_000_001, graceMillis: grace) == .failed)
    }
}
