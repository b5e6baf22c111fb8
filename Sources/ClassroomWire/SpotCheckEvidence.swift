import ClassroomCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an agent reports about a spot-check stream, signed as ``SignedEvidence``: the JSON the
/// agent encodes (sorted keys) is the payload, its exact bytes are what the Ed25519 signature covers.
public struct SpotCheckEvidencePayload: Codable, Sendable, Hashable {
    public var orderID: String
    /// When ffmpeg started and stopped pushing, on the agent's clock, milliseconds since 1970.
    public var startedAt: Int64
    public var endedAt: Int64
    public var frames: Int64
    public var bytesSent: Int64
    /// Share of the stream's minutes with speech (0…1), from the agent's own ALSA capture.
    public var speechRatio: Double
    /// The camera and microphone used (inventory ids), nil when none was available.
    public var camera: String?
    public var microphone: String?
    /// ffmpeg's last exit status (nil when stopped by the agent at lesson end).
    public var ffmpegExit: Int?
    /// Why the stream could not run (`no_camera`, `no_microphone`, `ffmpeg_failed`), nil when it ran.
    public var fault: String?
    /// Why the agent ended the stream before the lesson did (`stopped by the collector`, `preempted by
    /// spot-check order …`); nil when it ran to the lesson end or could not run (absent from older agents).
    public var stopReason: String?

    public init(
        orderID: String, startedAt: Int64, endedAt: Int64, frames: Int64, bytesSent: Int64, speechRatio: Double,
        camera: String?, microphone: String?, ffmpegExit: Int? = nil, fault: String? = nil, stopReason: String? = nil
    ) {
        self.orderID = orderID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.frames = frames
        self.bytesSent = bytesSent
        self.speechRatio = speechRatio
        self.camera = camera
        self.microphone = microphone
        self.ffmpegExit = ffmpegExit
        self.fault = fault
        self.stopReason = stopReason
    }

    enum CodingKeys: String, CodingKey {
        case frames, camera, microphone, fault
        case orderID = "order_id"
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case bytesSent = "bytes_sent"
        case speechRatio = "speech_ratio"
        case ffmpegExit = "ffmpeg_exit"
        case stopReason = "stop_reason"
    }
}

extension SignedEvidence {
    /// The bytes the signature covers: the base64-decoded ``payload``, exactly as the agent
    /// encoded it (never re-encoded); nil when `payload` is not base64.
    public var signedBytes: [UInt8]? {
        guard let data = Data(base64Encoded: payload) else { return nil }
        return [UInt8](data)
    }

    /// The decoded payload, nil when it is not base64 of a ``SpotCheckEvidencePayload``.
    public var decodedPayload: SpotCheckEvidencePayload? {
        guard let bytes = signedBytes else { return nil }
        return try? JSONDecoder().decode(SpotCheckEvidencePayload.self, from: Data(bytes))
    }
}
