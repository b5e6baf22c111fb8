extension ConsoleText {
    /// Labels of the watch page (`/lessons/{id}`, live viewing).
    static let liveZhCN: [String: String] = [
        "live_title": "听课：{0}",
        "live_subject": "学科",
        "live_stream": "直播状态",
        "live_stream_started": "开始推流",
        "live_stream_ended": "结束推流",
        "live_state_waiting": "等待开始",
        "live_state_live": "正在直播",
        "live_state_ended": "直播已结束",
        "live_state_failed": "未能直播",
        "live_player": "播放器",
        "live_player_idle": "等待直播开始",
        "live_player_loading": "正在加载",
        "live_player_playing": "正在播放",
        "live_player_stopped": "已停止",
        "live_player_error": "播放出错，正在重试",
        "live_player_unsupported": "此浏览器不能直接播放 HLS 直播，请使用 Chromium、Chrome、Edge 或 Safari 的新版本",
        "live_recording_link": "课堂录像",
        "live_evaluation_link": "评课",
        "live_watch": "听课",
        "live_note": "每次观看都会记入听课记录（谁、何时、观看多久）。直播由教室的点课推流经媒体服务器转为 HLS，延迟约 10 秒。",
    ]

    static let liveEn: [String: String] = [
        "live_title": "Watching: {0}",
        "live_subject": "Subject",
        "live_stream": "Stream",
        "live_stream_started": "Stream started",
        "live_stream_ended": "Stream ended",
        "live_state_waiting": "Waiting to start",
        "live_state_live": "Live",
        "live_state_ended": "Ended",
        "live_state_failed": "Not streamed",
        "live_player": "Player",
        "live_player_idle": "Waiting for the stream",
        "live_player_loading": "Loading",
        "live_player_playing": "Playing",
        "live_player_stopped": "Stopped",
        "live_player_error": "Playback error, retrying",
        "live_player_unsupported": "This browser cannot play HLS by itself; use a recent Chromium, Chrome, Edge or Safari",
        "live_recording_link": "Recording",
        "live_evaluation_link": "Evaluation",
        "live_watch": "Watch",
        "live_note":
            "Every view is written to the view log (who, when, for how long). The room's stream reaches you as HLS through the media server, about 10 s behind.",
    ]
}
