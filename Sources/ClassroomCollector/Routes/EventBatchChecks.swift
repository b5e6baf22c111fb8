import ClassroomCore
import ClassroomWire

/// The numbers of an uploaded ``ClassroomWire/EventBatch``, checked before the collector computes
/// with them or stores them for the reports: times inside ``InputBounds``' window, counts and
/// ratios in their ranges, every `Double` finite. A batch with one bad number is refused whole (400
/// naming the field), so that nothing stored can later stop a report.
enum EventBatchChecks {
    /// Largest count in a minute or a report (touch events, devices, queue depth, frames).
    static let count: ClosedRange<Int64> = 0...Int64(Int32.max)
    /// Signed small integers of an inventory (ALSA card and device numbers, backlight levels).
    static let small: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)

    /// Checks every event of `batch` (the caller has checked its size and `seq` order).
    static func check(_ batch: EventBatch, now: Int64) throws {
        try InputBounds.time(batch.sentAt, field: "sent_at", now: now)
        // Field names are built only for an error: interpolating a dozen per event cost a tenth of ingest.
        for (i, e) in batch.events.enumerated() {
            try InputBounds.time(e.at, field: "events[\(i)].at", now: now)
            try check(e.body, field: "events[\(i)]", now: now)
        }
    }

    static func check(_ body: AgentEventBody, field: @autoclosure () -> String, now: Int64) throws {
        switch body {
        case .usageMinute(let m): try check(m, field: "\(field()).usage_minute", now: now)
        case .inventorySnapshot(let inventory): try check(inventory, field: "\(field()).inventory")
        case .inventoryChange(let change): try check(change.inventory, field: "\(field()).inventory.inventory")
        case .heartbeat(let h):
            try Validate.text(h.agentVersion, field: "\(field()).heartbeat.agent_version", max: 64)
            // At most 100 years.
            try InputBounds.integer(h.uptimeSeconds, field: "\(field()).heartbeat.uptime_seconds", in: 0...3_155_760_000)
            try InputBounds.integer(Int64(h.queueDepth), field: "\(field()).heartbeat.queue_depth", in: count)
            try InputBounds.integer(h.droppedUsageTotal, field: "\(field()).heartbeat.dropped_usage_total", in: 0...Int64.max)
        case .usageDropped(let d):
            try InputBounds.integer(d.count, field: "\(field()).dropped.count", in: 0...Int64.max)
            try InputBounds.time(d.oldest, field: "\(field()).dropped.oldest", now: now)
            try InputBounds.time(d.newest, field: "\(field()).dropped.newest", now: now)
        case .evidence(let signed):
            // A payload that is not base64 JSON is kept: the results report it as a bad signature.
            guard let p = signed.decodedPayload else { return }
            try InputBounds.time(p.startedAt, field: "\(field()).evidence.payload.started_at", now: now)
            try InputBounds.time(p.endedAt, field: "\(field()).evidence.payload.ended_at", now: now)
            try InputBounds.integer(p.frames, field: "\(field()).evidence.payload.frames", in: 0...Int64.max)
            try InputBounds.integer(p.bytesSent, field: "\(field()).evidence.payload.bytes_sent", in: 0...Int64.max)
            try InputBounds.number(p.speechRatio, field: "\(field()).evidence.payload.speech_ratio", in: 0...1)
            if let exit = p.ffmpegExit {
                try InputBounds.integer(exit, field: "\(field()).evidence.payload.ffmpeg_exit", in: small)
            }
        case .commandResult: break
        }
    }

    static func check(_ m: UsageMinute, field f: @autoclosure () -> String, now: Int64) throws {
        try InputBounds.time(m.minuteStart, field: "\(f()).minute_start", now: now)
        try InputBounds.integer(Int64(m.touchEvents), field: "\(f()).touch_events", in: count)
        try InputBounds.number(m.speechSeconds, field: "\(f()).speech_seconds", in: 0...86_400)
        if let v = m.meanDBFS { try InputBounds.number(v, field: "\(f()).mean_dbfs", in: -1000...1000) }
        if let v = m.peakDBFS { try InputBounds.number(v, field: "\(f()).peak_dbfs", in: -1000...1000) }
        try InputBounds.number(m.clippingRatio, field: "\(f()).clipping_ratio", in: 0...1)
        let d = m.devicesPresent
        for (name, value) in [
            ("cameras", d.cameras), ("microphones", d.microphones), ("speakers", d.speakers),
            ("touchscreens", d.touchscreens), ("displays", d.displays),
        ] {
            try InputBounds.integer(Int64(value), field: "\(f()).devices_present.\(name)", in: count)
        }
    }

    static func check(_ inventory: HardwareInventory, field f: @autoclosure () -> String) throws {
        for (list, endpoints) in [("microphones", inventory.microphones), ("speakers", inventory.speakers)] {
            for (i, m) in endpoints.enumerated() {
                try InputBounds.integer(m.card, field: "\(f()).\(list)[\(i)].card", in: small)
                try InputBounds.integer(m.device, field: "\(f()).\(list)[\(i)].device", in: small)
            }
        }
        for (i, b) in inventory.backlights.enumerated() {
            for (name, value) in [("power", b.power), ("brightness", b.brightness), ("max_brightness", b.maxBrightness)] {
                if let value { try InputBounds.integer(value, field: "\(f()).backlights[\(i)].\(name)", in: small) }
            }
        }
    }
}
