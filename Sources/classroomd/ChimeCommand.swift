import ArgumentParser
import LinuxHardware

/// `classroomd chime`: play the spot-check chime.
struct ChimeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chime",
        abstract: "Play the spot-check chime (three short tones) through ALSA playback."
    )

    @Option(help: "ALSA PCM to play on, such as default, hw:0,0 or plughw:0,3.")
    var device = "default"

    func run() throws {
        do {
            try Chime.play(device: device)
        } catch {
            throw ValidationFailure(error.pcmMessage(device))
        }
    }
}
