import ClassroomCore

#if canImport(Glibc)
    import Glibc
#endif

/// A short generated chime (three soft tones, like a school bell's ding-dong-ding) played through ALSA,
/// announcing that a spot-check stream is about to start.
public enum Chime {
    /// Notes of the chime: frequency in Hz and length in seconds.
    public static let notes: [(frequency: Double, seconds: Double)] = [(659.25, 0.35), (523.25, 0.35), (783.99, 0.6)]

    /// The chime's samples at `sampleRate`, mono, with a fade in/out per note so nothing clicks.
    public static func samples(sampleRate: Int = 16_000, amplitude: Double = 0.4) -> [Int16] {
        var samples: [Int16] = []
        for note in notes {
            let count = Int(note.seconds * Double(sampleRate))
            let fade = max(1, sampleRate / 100)  // 10 ms
            for index in 0..<count {
                let envelope = min(1, Double(index) / Double(fade), Double(count - index) / Double(fade))
                let decay = exp(-2.5 * Double(index) / Double(count))
                let value =
                    sin(2 * Double.pi * note.frequency * Double(index) / Double(sampleRate)) * amplitude * envelope * decay
                samples.append(Int16((value * 32767).rounded()))
            }
        }
        return samples
    }

    /// Plays the chime on `device` (default: ALSA's `default` PCM) and waits until it has been played.
    public static func play(device: String = "default", sampleRate: Int = 16_000) throws(HardwareError) {
        let pcm = try PCM(name: ALSA.converting(device), direction: .playback, sampleRate: sampleRate, channels: 1)
        try pcm.write(samples(sampleRate: sampleRate))
        try pcm.drain()
    }
}
