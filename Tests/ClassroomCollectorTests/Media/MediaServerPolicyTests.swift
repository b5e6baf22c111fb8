import ClassroomTestSupport
import Foundation
import Testing

/// What the shipped nginx-rtmp configuration decides before and without the collector.
@Suite("media server policy")
struct MediaServerPolicyTests {
    @Test("nobody may watch over RTMP: play is refused by the shipped 'deny play all', also in the hls application")
    func playIsDenied() throws {
        let media = try MediaServerProcess(collector: "http://127.0.0.1:\(try MediaServerProcess.freePort())", secret: "s3cret")
        defer { media.stop() }
        let play = try TestProcess.run(
            URL(filePath: "/usr/bin/ffprobe"), ["-v", "error", "-rw_timeout", "10000000", media.url(key: "cfk_anything")],
            timeout: .seconds(30))
        #expect(play.status != 0, "a viewer was let in")
        #expect(media.errorLog().contains("access forbidden by rule"), "\(media.errorLog())")
        // Nor from the HLS application, which only the server's own pushes may feed.
        let hlsPlay = try TestProcess.run(
            URL(filePath: "/usr/bin/ffprobe"),
            ["-v", "error", "-rw_timeout", "10000000", "rtmp://127.0.0.1:\(media.rtmpPort)/hls/lesson-1"], timeout: .seconds(30))
        #expect(hlsPlay.status != 0, "a viewer was let into the hls application")
    }

    @Test("fails closed: with the collector unreachable, no stream is accepted or recorded")
    func collectorDownRefusesPublish() throws {
        let media = try MediaServerProcess(
            collector: "http://127.0.0.1:\(try MediaServerProcess.freePort())", secret: "s3cret", record: true)
        defer { media.stop() }
        let publish = try MediaServerProcess.publish(to: media.url(key: "cfk_orphan"), seconds: 2)
        #expect(publish.status != 0, "nginx accepted a stream nobody authorised")
        #expect(!FileManager.default.fileExists(atPath: media.recording(key: "cfk_orphan").path))
        #expect(media.errorLog().contains("notify: publish"), "nginx did not ask the hook: \(media.errorLog())")
    }

    @Test("the harness refuses to start on a port already taken, and says why")
    func portInUse() throws {
        let first = try MediaServerProcess(collector: "http://127.0.0.1:9", secret: "s3cret")
        defer { first.stop() }
        #expect {
            _ = try MediaServerProcess(collector: "http://127.0.0.1:9", secret: "s3cret", rtmpPort: first.rtmpPort)
        } throws: { error in
            "\(error)".contains("media-server.sh start failed") && "\(error)".contains("Address already in use")
        }
    }
}
