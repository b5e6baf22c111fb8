/// Decides which device-health conditions hold now. Pure: the facts and the time come in.
///
/// The rules (thresholds in ``AlertThresholds``):
/// - ``AlertKind/microphoneSilent``: the device has at least `silentDays` lesson days (school days
///   with usage minutes inside its room's timetabled lessons, microphone present), and in the
///   latest `silentDays` of them not one lesson minute had speech or a peak at the silence floor.
///   Days the device was off do not count either way.
/// - ``AlertKind/microphoneClipping``: the latest lesson day has `clippingMinutes` or more lesson
///   minutes whose clipping ratio reached `clippingFrameRatio`.
/// - ``AlertKind/recordingRoomNoCamera`` / ``AlertKind/recordingRoomNoMicrophone``: a recording
///   room with at least one device whose inventory is known, and none of them has a camera
///   (microphone). A room with no enrolled device raises nothing (that is enrollment, not health).
/// - ``AlertKind/agentOffline``: not heard from (or, never heard from, enrolled) longer ago than
///   `offlineSeconds`.
/// - ``AlertKind/outboxBacklog``: the last `backlogHeartbeats` heartbeats report a queue that grows
///   each time and ends at or above `backlogMinimum`.
/// - ``AlertKind/agentOutdated``: the version is older, in dpkg order, than `minimumAgentVersion`,
///   or without one than the newest version any device reports.
public struct AlertEvaluator: Sendable {
    public let thresholds: AlertThresholds

    public init(thresholds: AlertThresholds) {
        self.thresholds = thresholds
    }

    /// The conditions true at `now` (milliseconds), ordered by key.
    public func conditions(_ facts: AlertFacts, now: Int64) -> [AlertCondition] {
        var out: [AlertCondition] = []
        let newest = thresholds.minimumAgentVersion ?? facts.devices.map(\.agentVersion).max(by: DebianVersion.less)
        for device in facts.devices {
            out += deviceConditions(device, now: now, newestVersion: newest)
        }
        out += roomConditions(facts)
        return out.sorted { $0.key < $1.key }
    }

    func deviceConditions(_ d: DeviceHealthFacts, now: Int64, newestVersion: String?) -> [AlertCondition] {
        var out: [AlertCondition] = []
        func add(_ kind: AlertKind, _ en: String, _ zh: String) {
            out.append(
                AlertCondition(
                    kind: kind, schoolID: d.schoolID, deviceID: d.deviceID, roomID: d.roomID, detail: en, chineseDetail: zh))
        }
        let lessonDays = d.lessonAudio.filter { $0.value.lessonMinutes > 0 }.sorted { $0.key < $1.key }
        let recent = lessonDays.suffix(thresholds.silentDays)
        if recent.count == thresholds.silentDays, recent.allSatisfy({ $0.value.heardMinutes == 0 }) {
            let minutes = recent.reduce(0) { $0 + $1.value.lessonMinutes }
            let from = recent.first!.key
            let to = recent.last!.key
            add(
                .microphoneSilent,
                "no speech and no level above \(Int(thresholds.silenceFloorDBFS)) dBFS in \(minutes) lesson minutes on \(recent.count) lesson days (\(from)…\(to))",
                "\(from) 至 \(to) 共 \(recent.count) 个上课日、\(minutes) 分钟上课时段内无语音、电平未达 \(Int(thresholds.silenceFloorDBFS)) dBFS")
        }
        if let (date, day) = lessonDays.last, day.clippingMinutes >= thresholds.clippingMinutes {
            add(
                .microphoneClipping,
                "\(day.clippingMinutes) of \(day.lessonMinutes) lesson minutes clipped on \(date)",
                "\(date) 上课时段 \(day.lessonMinutes) 分钟中有 \(day.clippingMinutes) 分钟削波")
        }
        let heard = d.lastSeenAt ?? d.enrolledAt
        if now - heard > thresholds.offlineSeconds * 1000 {
            let days = Double(now - heard) / 86_400_000
            let rounded = (days * 10).rounded(.down) / 10
            add(
                .agentOffline,
                d.lastSeenAt == nil ? "never heard from, enrolled \(rounded) days ago" : "last heard from \(rounded) days ago",
                d.lastSeenAt == nil ? "登记后 \(rounded) 天从未上线" : "已 \(rounded) 天未上线")
        }
        let depths = d.queueDepths.suffix(thresholds.backlogHeartbeats)
        if depths.count == thresholds.backlogHeartbeats, let last = depths.last, last >= thresholds.backlogMinimum,
            zip(depths, depths.dropFirst()).allSatisfy({ $0 < $1 })
        {
            let list = depths.map(String.init).joined(separator: " → ")
            add(.outboxBacklog, "outbox queue growing over \(depths.count) heartbeats: \(list)", "待上传队列连续增长：\(list)")
        }
        if let newestVersion, DebianVersion.less(d.agentVersion, newestVersion) {
            let what = thresholds.minimumAgentVersion == nil ? "newest reported" : "minimum"
            add(
                .agentOutdated, "agent \(d.agentVersion), \(what) \(newestVersion)",
                "代理版本 \(d.agentVersion)，\(thresholds.minimumAgentVersion == nil ? "最新" : "最低要求") \(newestVersion)")
        }
        return out
    }

    func roomConditions(_ facts: AlertFacts) -> [AlertCondition] {
        var byRoom: [String: [DeviceHealthFacts]] = [:]
        for d in facts.devices {
            guard let room = d.roomID, facts.recordingRooms[room] != nil, d.cameras != nil else { continue }
            byRoom[room, default: []].append(d)
        }
        var out: [AlertCondition] = []
        for (room, devices) in byRoom {
            let school = facts.recordingRooms[room] ?? devices[0].schoolID
            let ids = devices.map(\.deviceID).sorted().joined(separator: ", ")
            if devices.allSatisfy({ ($0.cameras ?? 0) == 0 }) {
                out.append(
                    AlertCondition(
                        kind: .recordingRoomNoCamera, schoolID: school, deviceID: nil, roomID: room,
                        detail: "no camera in the inventory of \(ids)", chineseDetail: "终端 \(ids) 的硬件清单中没有摄像头"))
            }
            if devices.allSatisfy({ ($0.microphones ?? 0) == 0 }) {
                out.append(
                    AlertCondition(
                        kind: .recordingRoomNoMicrophone, schoolID: school, deviceID: nil, roomID: room,
                        detail: "no microphone in the inventory of \(ids)", chineseDetail: "终端 \(ids) 的硬件清单中没有麦克风"))
            }
        }
        return out
    }
}
