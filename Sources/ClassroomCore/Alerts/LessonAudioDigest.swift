#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One device's microphone during the timetabled lessons of one school day.
public struct LessonAudioDay: Sendable, Hashable {
    /// Usage minutes inside a lesson of the device's room with a microphone present.
    public var lessonMinutes = 0
    /// Of those, minutes with speech or a peak at or above the silence floor.
    public var heardMinutes = 0
    /// Of those, minutes whose clipping ratio reached the threshold.
    public var clippingMinutes = 0

    public init(lessonMinutes: Int = 0, heardMinutes: Int = 0, clippingMinutes: Int = 0) {
        self.lessonMinutes = lessonMinutes
        self.heardMinutes = heardMinutes
        self.clippingMinutes = clippingMinutes
    }
}

/// The microphone figures of one usage minute that the alerts read.
public struct LessonAudioSample: Sendable, Hashable {
    /// Start of the minute on the collector's clock (skew-corrected), milliseconds since 1970.
    public var minuteStart: Int64
    public var speechSeconds: Double
    public var peakDBFS: Double?
    public var clippingRatio: Double
    /// Microphones present during the minute.
    public var microphones: Int

    public init(minuteStart: Int64, speechSeconds: Double, peakDBFS: Double?, clippingRatio: Double, microphones: Int) {
        self.minuteStart = minuteStart
        self.speechSeconds = speechSeconds
        self.peakDBFS = peakDBFS
        self.clippingRatio = clippingRatio
        self.microphones = microphones
    }
}

/// Folds usage minutes, one at a time as the store returns them, into ``LessonAudioDay``s per
/// device and local date: only minutes inside a timetabled lesson of the device's room on a school
/// day (the term calendar's) count, so holidays, breaks and evenings never read as silence.
public struct LessonAudioDigest: Sendable {
    public let timetable: Timetable
    public let thresholds: AlertThresholds
    /// The room of each device (devices without a room are skipped).
    public let rooms: [String: String]
    public private(set) var days: [String: [LocalDate: LessonAudioDay]] = [:]

    public init(timetable: Timetable, thresholds: AlertThresholds, rooms: [String: String]) {
        self.timetable = timetable
        self.thresholds = thresholds
        self.rooms = rooms
    }

    /// Counts `sample` of `deviceID` when it falls in a lesson of the device's room.
    public mutating func add(deviceID: String, _ sample: LessonAudioSample) {
        guard sample.microphones > 0, let room = rooms[deviceID] else { return }
        let instant = Date(timeIntervalSince1970: Double(sample.minuteStart) / 1000)
        guard let lesson = timetable.lessonRunning(inRoom: room, at: instant) else { return }
        var day = days[deviceID, default: [:]][lesson.date, default: LessonAudioDay()]
        day.lessonMinutes += 1
        if sample.speechSeconds > 0 || (sample.peakDBFS.map { $0 >= thresholds.silenceFloorDBFS } ?? false) {
            day.heardMinutes += 1
        }
        if sample.clippingRatio >= thresholds.clippingFrameRatio { day.clippingMinutes += 1 }
        days[deviceID, default: [:]][lesson.date] = day
    }
}
