import ClassroomCore
import Logging

/// Wall time of each phase of a long request (a coverage report, a draw), logged at info: the
/// province benchmark and an operator read where the time went.
struct RequestPhases {
    let clock = ContinuousClock()
    var last = ContinuousClock.now
    var seconds: [(String, Double)] = []

    mutating func mark(_ phase: String) {
        let now = clock.now
        let d = now - last
        last = now
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        if let i = seconds.firstIndex(where: { $0.0 == phase }) { seconds[i].1 += s } else { seconds.append((phase, s)) }
    }

    func metadata(_ registry: Registry) -> Logger.Metadata {
        var m: Logger.Metadata = ["schools": "\(registry.schools.count)", "lessons": "\(registry.lessons.count)"]
        for (phase, s) in seconds { m["\(phase)_s"] = "\((s * 1000).rounded() / 1000)" }
        return m
    }
}
