extension ConsoleText {
    /// Labels of lesson evaluation (评课), the weekly notice (通报) and the observation quotas (听课).
    static let observeZhCN: [String: String] = [
        "eval_title": "评课",
        "eval_watch": "观看直播",
        "eval_recording": "观看录像",
        "eval_new": "填写评课",
        "eval_mine": "我的评课",
        "eval_rules": "每项 {0}–{1} 分，必须全部填写；每人每节课一份评课，提交后 {2} 天内可修改，之后只读。",
        "eval_not_streamed": "该节课尚未直播，暂不能评课。",
        "eval_locked": "您的评课已超过可修改期限，现为只读。",
        "eval_comment": "评语",
        "eval_submit": "提交评课",
        "eval_update": "保存修改",
        "eval_saved": "评课已保存。",
        "eval_all": "本节课的评课",
        "eval_evaluator": "评课人",
        "eval_mean": "平均分",
        "eval_updated": "更新时间",
        "eval_none": "还没有评课。",
        "notice_title": "点课通报",
        "notice_back": "返回点课",
        "notice_print_hint": "用浏览器打印（A4）即得正式通报。",
        "spot_notice_link": "本周通报",
    ]

    /// English labels (same keys as ``observeZhCN``).
    static let observeEn: [String: String] = [
        "eval_title": "Lesson evaluation",
        "eval_watch": "Watch live",
        "eval_recording": "Watch the recording",
        "eval_new": "Evaluate this lesson",
        "eval_mine": "My evaluation",
        "eval_rules":
            "Score every item from {0} to {1}. One evaluation per person per lesson; it may be edited for {2} days, then it is read-only.",
        "eval_not_streamed": "This lesson has not been streamed yet and cannot be evaluated.",
        "eval_locked": "Your evaluation is past its edit period and is read-only.",
        "eval_comment": "Comment",
        "eval_submit": "Submit",
        "eval_update": "Save changes",
        "eval_saved": "The evaluation was saved.",
        "eval_all": "Evaluations of this lesson",
        "eval_evaluator": "Evaluator",
        "eval_mean": "Mean",
        "eval_updated": "Updated",
        "eval_none": "No evaluations yet.",
        "notice_title": "Spot-check notice",
        "notice_back": "Back to the spot-checks",
        "notice_print_hint": "Print from the browser (A4) for the official notice.",
        "spot_notice_link": "This week's notice",
    ]
}
