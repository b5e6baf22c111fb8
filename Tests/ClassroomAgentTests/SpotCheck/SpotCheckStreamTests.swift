import ClassroomAgent
import ClassroomTestSupport
import ClassroomWire
import Foundation
import Testing

/// Real nginx-rtmp + real ffmpeg + `classroomd spotcheck-test` on loopback.
@Suite(
    "Spot-check stream end to end", .serialized
)
struct SpotCheckStreamTests {
    static let camera = "--camera-args=-re -f lavfi -i testsrc2=size=640x360:rate=25"

    struct Output: Decodable {
        var evidence: SpotCheckRunReport
        var signed: SignedEvidence
        var public_key: String
    }

    static func spotcheck(_ arguments: [String], microphone: String = "speech_en") throws -> (TestProcess.Output, Output?) {
        let state = try TestProcess.temporaryDirectory("spotcheck-state")
        defer { try? FileManager.default.removeItem(at: state) }
        let output = try TestProcess.run(
            try TestProcess.product("classroomd"),
            ["spotcheck-test", camera, "--microphone", microphone, "--state-dir", state.path, "--json"] + arguments,
            environment: try AgentAudioFixtures.environment(), timeout: .seconds(90))
        return (output, try? JSONDecoder().decode(Output.self, from: Data(output.stdout.utf8)))
    }

    @Test func streamsCameraAndSpeechThatNginxAccepts() throws {
        let server = try MediaServerProcess(hookResponderAcceptingKey: "k-good")
        let (process, output) = try Self.spotcheck(["--ingest", server.url(key: "k-good"), "--seconds", "8"])
        #expect(process.status == 0, "\(process.stderr)")
        let result = try #require(output)
        #expect(result.evidence.outcome == "completed")
        #expect(result.evidence.frames > 0)
        #expect(result.evidence.bytes > 10_000)
        #expect(result.evidence.speechRatio > 0.5)
        #expect(result.evidence.restarts == 0)
        #expect(result.evidence.microphone == "speech_en")
        #expect(result.evidence.endedAt - result.evidence.startedAt >= 8_000)
        #expect(EvidenceSigner.verify(result.signed, publicKeyBase64: result.public_key))
        let payload = try #require(Data(base64Encoded: result.signed.payload))
        #expect(try JSONDecoder().decode(SpotCheckEvidencePayload.self, from: payload) == result.evidence.payload)
        var forgedPayload = result.evidence.payload
        forgedPayload.frames += 1
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var forged = result.signed
        forged.payload = try encoder.encode(forgedPayload).base64EncodedString()
        #expect(!EvidenceSigner.verify(forged, publicKeyBase64: result.public_key))

        let hooks = try server.hooks()
        #expect(hooks.contains { $0.path.hasPrefix("/api/v1/media/on_publish") && $0.name == "k-good" && $0.status == 204 })
        #expect(hooks.contains { $0.path.hasPrefix("/api/v1/media/on_publish_done") && $0.name == "k-good" })
        let probe = try MediaServerProcess.probe(server.recording(key: "k-good"))
        #expect(probe.streams.sorted() == ["audio", "video"])
        #expect(probe.duration > 3 && probe.duration < 10, "recorded \(probe.duration) s of an 8 s stream")
    }

    @Test func silenceGivesNoSpeech() throws {
        let server = try MediaServerProcess(hookResponderAcceptingKey: "k-quiet")
        let (process, output) = try Self.spotcheck(
            ["--ingest", server.url(key: "k-quiet"), "--seconds", "4"], microphone: "near_silence")
        #expect(process.status == 0, "\(process.stderr)")
        let result = try #require(output)
        #expect(result.evidence.speechRatio < 0.05)
        #expect(result.evidence.audioFrames > 100)
        #expect(result.evidence.bytes > 0)
    }

    @Test func wrongKeyIsRefusedAndReportedNotPublished() throws {
        let server = try MediaServerProcess(hookResponderAcceptingKey: "k-right")
        let (process, output) = try Self.spotcheck([
            "--ingest", server.url(key: "k-forged"), "--seconds", "20", "--max-restarts", "1",
        ])
        #expect(process.status == 1)
        #expect(process.stderr.contains("not_published"), "\(process.stderr)")
        let result = try #require(output)
        #expect(result.evidence.outcome == "not_published")
        #expect(result.evidence.bytes == 0)
        #expect(result.evidence.ffmpegExits.count == 2)
        #expect(result.evidence.restarts == 1)
        let refused = try server.hooks().filter { $0.name == "k-forged" }
        #expect(refused.count == 2 && refused.allSatisfy { $0.status == 403 })
        #expect(!FileManager.default.fileExists(atPath: server.recording(key: "k-forged").path))
    }

    @Test func killedFFmpegIsRestartedAndReported() throws {
        let server = try MediaServerProcess(hookResponderAcceptingKey: "k-crash")
        let state = try TestProcess.temporaryDirectory("spotcheck-crash")
        defer { try? FileManager.default.removeItem(at: state) }
        let process = Process()
        process.executableURL = try TestProcess.product("classroomd")
        process.arguments = [
            "spotcheck-test", Self.camera, "--microphone", "speech_en", "--state-dir", state.path, "--json",
            "--ingest", server.url(key: "k-crash"), "--seconds", "12",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(try AgentAudioFixtures.environment()) { $1 }
        let stdoutFile = state.appending(path: "stdout.json")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = FileHandle.nullDevice
        try process.run()
        var killed: Int32?
        for _ in 0..<100 where killed == nil {
            usleep(100_000)
            guard let data = try? Data(contentsOf: state.appending(path: "spotcheck-status.json")),
                let status = try? JSONDecoder().decode(SpotCheckLiveStatus.self, from: data),
                let pid = status.ffmpegPID, status.bytes > 0
            else { continue }
            kill(pid, SIGKILL)
            killed = pid
        }
        process.waitUntilExit()
        #expect(killed != nil, "ffmpeg never reported bytes in the status file")
        #expect(process.terminationStatus == 0)
        let result = try #require(try? JSONDecoder().decode(Output.self, from: Data(contentsOf: stdoutFile)))
        #expect(result.evidence.restarts == 1)
        #expect(result.evidence.ffmpegExits.first == "signal 9")
        #expect(result.evidence.ffmpegExits.count == 2)
        #expect(result.evidence.outcome == "completed")
        #expect(try server.hooks().filter { $0.path == "/api/v1/media/on_publish" }.count >= 2)
    }

    @Test func missingFFmpegIsReported() throws {
        let (process, output) = try Self.spotcheck([
            "--ingest", "rtmp://127.0.0.1:9/live/x", "--seconds", "5", "--ffmpeg", "/nonexistent/ffmpeg",
        ])
        #expect(process.status == 1)
        let result = try #require(output)
        #expect(result.evidence.outcome == "ffmpeg_missing")
        #expect(result.evidence.error?.contains("/nonexistent/ffmpeg") == true)
    }

    @Test(arguments: [
        (["--ingest", "http://example/live/k"], "rtmp://"),
        (["--ingest", "rtmp://x/live/k", "--seconds", "0"], "--seconds"),
    ])
    func badArgumentsAreRefused(arguments: [String], mention: String) throws {
        let output = try TestProcess.run(try TestProcess.product("classroomd"), ["spotcheck-test"] + arguments)
        #expect(output.status != 0)
        #expect(output.stderr.contains(mention), "\(output.stderr)")
    }
}
