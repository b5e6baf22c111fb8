extension ConsoleText {
    /// Labels of `/alerts` (设备告警) and the overview's link to it.
    static let alertsZhCN: [String: String] = [
        "nav_alerts": "告警",
        "alerts_title": "设备告警",
        "alerts_intro":
            "平台定期根据终端上报的数据检查设备健康：上课时段麦克风持续无声或削波、录播教室缺少摄像头或麦克风、终端离线、待上传数据积压、代理版本过旧。条件成立时告警自动打开；条件消失并持续一段时间后自动解除，设备反复波动只产生一条告警。",
        "alerts_state_open": "未解除",
        "alerts_state_closed": "已解除",
        "alerts_state_all": "全部",
        "alerts_col_kind": "告警",
        "alerts_col_device": "终端",
        "alerts_col_detail": "详情",
        "alerts_col_opened": "开始时间",
        "alerts_col_closed": "解除时间",
        "alerts_col_state": "状态",
        "alerts_none": "没有符合条件的告警。",
        "alerts_clearing": "条件已于 {0} 消失，等待确认后解除",
        "alerts_open_count": "未解除的设备告警：{0} 条",
    ]

    /// English labels of `/alerts` (same keys as ``alertsZhCN``).
    static let alertsEn: [String: String] = [
        "nav_alerts": "Alerts",
        "alerts_title": "Device alerts",
        "alerts_intro":
            "The collector checks device health periodically from what the agents report: a microphone silent or clipping during lessons, a recording room without camera or microphone, an agent offline, a growing upload backlog, an outdated agent. An alert opens when its condition holds and closes itself once the condition has stayed away for a while; a flapping device raises one alert.",
        "alerts_state_open": "Open",
        "alerts_state_closed": "Closed",
        "alerts_state_all": "All",
        "alerts_col_kind": "Alert",
        "alerts_col_device": "Device",
        "alerts_col_detail": "Detail",
        "alerts_col_opened": "Opened",
        "alerts_col_closed": "Closed",
        "alerts_col_state": "State",
        "alerts_none": "No alerts match.",
        "alerts_clearing": "condition gone since {0}; closes after the hold time",
        "alerts_open_count": "Open device alerts: {0}",
    ]
}
