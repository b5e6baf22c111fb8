import ArgumentParser
import ClassroomCore
import LinuxHardware

/// `classroomd probe-audio`: meter the microphone for a few seconds and print the figures.
struct ProbeAudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe-audio",
        abstract: "Meter a microphone (ALSA capture) and print levels and the share of speech.",
        discussion: """
            Captures 16 kHz mono in 20 ms frames and prints figures only (levels in dBFS, speech and \
            clipping ratios); no audio is stored or sent. Exit status 1 with a message when the PCM does \
            not exist, is busy or goes away.
            """
    )

    @Option(help: "ALSA PCM to capture from, such as default, hw:1,0 or plughw:1,0.")
    var device = "default"

    @Option(help: "Seconds to capture (0.02–3600).")
    var seconds: Double = 5

    @Flag(help: "Print JSON with the keys frames, rms_dbfs, peak_dbfs, speech_ratio, clipping_ratio.")
    var json = false

    func validate() throws {
        guard seconds >= 0.02, seconds <= 3600 else { throw ValidationError("--seconds must be between 0.02 and 3600") }
    }

    func run() throws {
        let totals: SpeechActivityTotals
        var meter: SpeechMeter?
        do {
            let opened = try SpeechMeter(device: device)
            meter = opened
            totals = try opened.measure(frames: Int((seconds * opened.framesPerSecond).rounded()))
        } catch {
            var message = error.pcmMessage(device)
            if let meter, meter.framesCaptured > 0 {
                let captured = Double(meter.framesCaptured) / meter.framesPerSecond
                message += "; \(meter.framesCaptured) frames (\(Self.format(captured)) s) had been captured"
            }
            throw ValidationFailure(message)
        }
        let report = ProbeAudioReport(totals)
        if json {
            print(try JSONOutput.string(report))
        } else {
            print("device \(device): \(report.frames) frames of 20 ms")
            print("level  rms \(Self.format(report.rmsDBFS)) dBFS, peak \(Self.format(report.peakDBFS)) dBFS")
            print("speech \(Int((report.speechRatio * 100).rounded())) % of frames, clipping \(report.clippingRatio)")
        }
    }

    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return "\(tenths)"
    }
}

/// The JSON of `probe-audio --json`.
struct ProbeAudioReport: Codable {
    var frames: Int
    var rmsDBFS: Double
    var peakDBFS: Double
    var speechRatio: Double
    var clippingRatio: Double

    init(_ totals: SpeechActivityTotals) {
        frames = totals.frames
        rmsDBFS = totals.meanDBFS ?? -120
        peakDBFS = totals.peakDBFS ?? -120
        speechRatio = totals.speechRatio
        clippingRatio = totals.clippingRatio
    }

    enum CodingKeys: String, CodingKey {
        case frames
        case rmsDBFS = "rms_dbfs"
        case peakDBFS = "peak_dbfs"
        case speechRatio = "speech_ratio"
        case clippingRatio = "clipping_ratio"
    }
}
