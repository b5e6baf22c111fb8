import Foundation

extension MediaServerProcess {
    /// Pushes `seconds` of ffmpeg's test pattern (H.264) and a tone (AAC) to `url` in real time, as a
    /// plain RTMP publisher; a refused key makes ffmpeg exit non-zero within a second or two.
    public static func publish(to url: String, seconds: Int, timeout: Duration = .seconds(60)) throws -> TestProcess.Output {
        try TestProcess.run(
            URL(filePath: "/usr/bin/ffmpeg"),
            [
                "-nostdin", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "\(seconds)", "-c:v", "libx264", "-preset",
                "ultrafast", "-g", "25", "-c:a", "aac", "-f", "flv", url,
            ], timeout: timeout)
    }

    /// The stream kinds (`video`, `audio`) and duration in seconds of a recording, from ffprobe.
    public static func probe(_ file: URL) throws -> (streams: [String], duration: Double) {
        let output = try TestProcess.run(
            URL(filePath: "/usr/bin/ffprobe"),
            ["-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "default=nw=1", file.path])
        guard output.status == 0 else { throw TestSupportError("ffprobe \(file.path): \(output.stderr)") }
        let lines = output.stdout.split(separator: "\n")
        let streams = lines.filter { $0.hasPrefix("codec_type=") }.map { String($0.dropFirst("codec_type=".count)) }
        let duration = lines.first { $0.hasPrefix("duration=") }.flatMap { Double($0.dropFirst("duration=".count)) } ?? 0
        return (streams, duration)
    }
}
