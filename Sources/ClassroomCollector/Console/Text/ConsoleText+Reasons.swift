extension ConsoleText {
    /// Why a called lesson has its status (``SpotCheckReason/label``); `{0}` is the argument.
    static let reasonsZhCN: [String: String] = [
        "reason_streaming": "正在直播",
        "reason_streamed": "直播时长占课时 {0}%",
        "reason_streamed_no_evidence": "直播时长占课时 {0}%（终端证据尚未上传）",
        "reason_speech": "直播中有讲话的时间仅占 {0}%",
        "reason_lesson_not_over": "课节尚未结束",
        "reason_no_device": "教室 {0} 没有已注册的终端",
        "reason_never_dispatched": "点课指令未下发",
        "reason_fault_no_camera": "终端没有摄像头",
        "reason_fault_no_microphone": "终端没有麦克风",
        "reason_fault_ffmpeg": "推流程序失败（{0}）",
        "reason_fault_other": "终端故障（{0}）",
        "reason_agent_failed": "终端报告点课指令执行失败",
        "reason_not_fetched": "终端未接收点课指令（离线）",
        "reason_never_streamed": "终端已接收指令，但未推流",
    ]

    /// English reasons (same keys as ``reasonsZhCN``), worded as `/api/v1` words them.
    static let reasonsEn: [String: String] = [
        "reason_streaming": "streaming",
        "reason_streamed": "streamed {0}% of the lesson",
        "reason_streamed_no_evidence": "streamed {0}% of the lesson (no evidence yet)",
        "reason_speech": "speech in {0}% of the stream",
        "reason_lesson_not_over": "lesson not over",
        "reason_no_device": "no enrolled device in room {0}",
        "reason_never_dispatched": "never dispatched",
        "reason_fault_no_camera": "the device has no camera",
        "reason_fault_no_microphone": "the device has no microphone",
        "reason_fault_ffmpeg": "the stream failed ({0})",
        "reason_fault_other": "device fault ({0})",
        "reason_agent_failed": "the agent reported the order failed",
        "reason_not_fetched": "the device did not fetch the order",
        "reason_never_streamed": "delivered, never streamed",
    ]
}
