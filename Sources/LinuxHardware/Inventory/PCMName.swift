/// The parts of an ALSA PCM device name in sysfs, such as `pcmC1D0c` (card 1, device 0, capture).
public struct PCMName: Sendable, Hashable {
    public var card: Int
    public var device: Int
    /// true for a capture PCM (`c`), false for playback (`p`).
    public var capture: Bool

    /// Parses `pcmC<card>D<device><c|p>`; nil for anything else (`controlC0`, `card0`, `timer`, …).
    public init?(sysname: String) {
        guard sysname.hasPrefix("pcmC"), let last = sysname.last, last == "c" || last == "p" else { return nil }
        let body = sysname.dropFirst(4).dropLast()
        let parts = body.split(separator: "D", omittingEmptySubsequences: false)
        guard parts.count == 2, let card = Int(parts[0]), let device = Int(parts[1]), card >= 0, device >= 0 else {
            return nil
        }
        self.card = card
        self.device = device
        self.capture = last == "c"
    }
}
