extension ConsoleText {
    /// Simplified Chinese, the default: the layout, sign-in, errors and administration, then the
    /// content pages' own table (``pagesZhCN``).
    static let zhCN: [String: String] = merged(zhCNTables)

    /// The tables that make up ``zhCN``, each from its own file; no key is in two of them (a test checks).
    static let zhCNTables: [[String: String]] = [
        layoutZhCN, adminZhCN, pagesZhCN, reasonsZhCN, liveZhCN, recordingsZhCN, patrolZhCN, observeZhCN, alertsZhCN,
    ]

    static let layoutZhCN: [String: String] = [
        "app_title": "教育信息化管理平台",
        "app_subtitle": "教室设备与随机点课",
        "nav_overview": "概览",
        "nav_schools": "学校",
        "nav_devices": "设备",
        "nav_spotchecks": "点课",
        "nav_admin": "管理",
        "nav_label": "主导航",
        "sign_out": "退出登录",
        "signed_in_as": "当前用户",
        "school_scope": "学校",
        "other_language": "English",
        "other_language_code": "en",
        "login_title": "登录",
        "login_intro": "请使用教育局分配的账号或操作令牌登录。",
        "login_with_password": "用户名和密码",
        "login_with_token": "操作令牌",
        "login_username": "用户名",
        "login_password": "密码",
        "login_token": "操作令牌（cfo_…）",
        "login_submit": "登录",
        "login_failed": "用户名或密码错误。",
        "login_token_failed": "令牌无效或已被吊销。",
        "login_locked": "此地址登录失败次数过多，已被锁定。请在 {0} 分钟后重试。",
        "login_expired": "会话已过期，请重新登录。",
        "login_signed_out": "您已退出登录。",
        "login_required": "请先登录。",
        "error_forbidden_title": "无权访问",
        "error_forbidden": "您的角色无权执行此操作。",
        "error_not_found_title": "页面不存在",
        "error_not_found": "您要找的页面不存在，或不在您的权限范围内。",
        "error_csrf_title": "表单已失效",
        "error_csrf": "表单缺少安全令牌或令牌不正确，请返回上一页刷新后重新提交。",
        "error_bad_request_title": "请求有误",
        "error_internal_title": "服务器错误",
        "error_internal": "服务器出错，请查看采集服务器日志。",
        "back_home": "返回首页",
        "role_bureau_admin": "教育局管理员",
        "role_bureau_viewer": "教育局查看员",
        "role_observer": "教研员",
        "role_county_admin": "县级管理员（一个县）",
        "role_school_admin": "学校管理员",
        "role_auditor": "审计员",
        "footer": "ClassroomFleet 教室设备管理",
        "csv_export": "导出 CSV",
        "page_previous": "上一页",
        "page_next": "下一页",
        "page_of": "第 {0} 页",
        "none": "无",
        "yes": "是",
        "no": "否",
    ]
}
