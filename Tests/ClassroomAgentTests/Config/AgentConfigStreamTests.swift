import ClassroomAgent
import ClassroomCore
import Testing

/// `stream_video_size`, `stream_threads` and `status_hosts`: read, validated with FILE:LINE: key, and
/// pinned into ffmpeg's command line.
@Suite struct AgentConfigStreamTests {
    @Test func defaultsPinSevenTwentyPAndTwoThreads() throws {
        let c = try AgentConfig.parse("", file: "c.toml")
        #expect(c.streamVideoSize == StreamVideoSize(width: 1280, height: 720))
        #expect(c.streamThreads == 2)
        #expect(c.statusHosts.isEmpty)
    }

    @Test func keysAreRead() throws {
        let text = """
            stream_video_size = "640x360"
            stream_threads = 1
            status_hosts = ["panel-3.school.local", "KIOSK"]
            """
        let c = try AgentConfig.parse(text, file: "c.toml")
        #expect(c.streamVideoSize == StreamVideoSize(width: 640, height: 360))
        #expect(c.streamThreads == 1)
        #expect(c.statusHosts == ["panel-3.school.local", "KIOSK"])
    }

    @Test(arguments: [
        ("stream_video_size = \"1280\"", "stream_video_size: expected WIDTHxHEIGHT"),
        ("stream_video_size = \"3840x2160\"", "stream_video_size: expected WIDTHxHEIGHT, even, from 160x120 up to 1920x1080"),
        ("stream_video_size = \"641x360\"", "stream_video_size: expected WIDTHxHEIGHT"),
        ("stream_video_size = \"+640x360\"", "stream_video_size: expected WIDTHxHEIGHT"),
        ("stream_video_size = 720", "stream_video_size: expected a string"),
        ("stream_threads = 0", "stream_threads: must be in 1…8, found 0"),
        ("stream_threads = 64", "stream_threads: must be in 1…8, found 64"),
        ("status_hosts = [\"evil.example:80\"]", "status_hosts: expected host names"),
        ("status_hosts = [\"*\"]", "status_hosts: expected host names"),
        ("status_hosts = \"kiosk\"", "status_hosts: expected an array of strings"),
    ])
    func badValuesNameFileLineAndKey(line: String, expected: String) {
        do {
            _ = try AgentConfig.parse("# agent\n" + line + "\n", file: "/etc/classroomd/classroomd.toml")
            Issue.record("expected an error for \(line)")
        } catch {
            #expect("\(error)".hasPrefix("/etc/classroomd/classroomd.toml:2: " + expected), "\(error)")
        }
    }

    @Test func ffmpegCommandLineCarriesThePinnedSizeAndThreads() throws {
        let c = try AgentConfig.parse("stream_video_size = \"640x360\"\nstream_threads = 3\n", file: "c.toml")
        var v4l2 = SpotCheckConfiguration(stateDirectory: "/tmp")
        v4l2.videoSize = c.streamVideoSize
        v4l2.threads = c.streamThreads
        let arguments = v4l2.ffmpegArguments(ingestURL: "rtmp://ingest/live/KEY")
        // The camera is asked for the size (an input option, before its -i) ...
        let camera = try #require(arguments.firstIndex(of: "/dev/video0"))
        let size = try #require(arguments.firstIndex(of: "-video_size"))
        #expect(size < camera && arguments[size + 1] == "640x360")
        // ... and the stream is scaled into it and encoded with the pinned threads (output options).
        let filter = try #require(arguments.firstIndex(of: "-vf"))
        #expect(filter > camera && arguments[filter + 1].hasPrefix("scale=640:360:"))
        let threads = try #require(arguments.firstIndex(of: "-threads"))
        #expect(threads > camera && arguments[threads + 1] == "3")
        #expect(arguments[try #require(arguments.firstIndex(of: "-filter_threads")) + 1] == "3")
        #expect(arguments.last == "rtmp://ingest/live/KEY")

        // Another input (a test pattern) is not given a v4l2 option, but still scaled and threaded.
        var pattern = v4l2
        pattern.cameraArguments = SpotCheckConfiguration.splitArguments("-re -f lavfi -i testsrc2=size=1920x1080:rate=25")
        let other = pattern.ffmpegArguments(ingestURL: "rtmp://ingest/live/KEY")
        #expect(!other.contains("-video_size"))
        #expect(other.contains("scale=640:360:force_original_aspect_ratio=decrease:force_divisible_by=2"))
        #expect(other[try #require(other.firstIndex(of: "-threads")) + 1] == "3")
    }
}
