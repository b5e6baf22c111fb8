import Foundation

/// Turns nginx-rtmp's FLV into an MP4 that browsers play.
public protocol RecordingConverter: Sendable {
    /// Writes `destination` (MP4) from `source` (FLV) without re-encoding; answers the duration in
    /// milliseconds when it is known. Throws ``RecordingConversionError`` when the conversion fails.
    func convert(source: String, destination: String) async throws -> Int64?
}

/// A failed conversion: what ffmpeg said.
public struct RecordingConversionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// ffmpeg `-c copy -movflags +faststart` (the index first, so playback starts before the whole
/// file is loaded), then ffprobe for the duration.
public struct FFmpegRecordingConverter: RecordingConverter {
    let ffmpeg: String
    let ffprobe: String

    public init(ffmpeg: String = "ffmpeg", ffprobe: String = "ffprobe") {
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
    }

    public func convert(source: String, destination: String) async throws -> Int64? {
        let converted = try await Self.run(
            ffmpeg,
            [
                "-nostdin", "-hide_banner", "-v", "error", "-y", "-i", source, "-c", "copy", "-movflags", "+faststart", "-f",
                "mp4",
                destination,
            ])
        guard converted.status == 0 else {
            throw RecordingConversionError(
                message: "ffmpeg exited with \(converted.status): \(converted.output.suffix(400))")
        }
        let probed = try? await Self.run(
            ffprobe,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", destination])
        guard let probed, probed.status == 0,
            let seconds = Double(probed.output.trimmingCharacters(in: .whitespacesAndNewlines)), seconds.isFinite, seconds >= 0
        else { return nil }
        return Int64((seconds * 1000).rounded())
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) and answers its exit status and its
    /// standard output and error together.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(filePath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(filePath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        // The output goes to a file, not a pipe: a pipe nobody reads while ffmpeg runs could fill and stall it.
        let log = FileManager.default.temporaryDirectory.appending(path: "classroom-ffmpeg-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil), let handle = try? FileHandle(forWritingTo: log)
        else { throw RecordingConversionError(message: "cannot create \(log.path)") }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        defer {
            try? handle.close()
            try? FileManager.default.removeItem(at: log)
        }
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                continuation.resume(returning: (process.terminationStatus, text))
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(
                    throwing: RecordingConversionError(message: "cannot run \(executable): \(error.localizedDescription)"))
            }
        }
    }
}
