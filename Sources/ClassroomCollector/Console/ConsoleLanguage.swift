import Hummingbird

/// The console's language: Simplified Chinese by default, English with `?lang=en`.
///
/// The choice is remembered in the `cf_lang` cookie (set by ``ConsoleRenderer`` when `?lang=` is
/// given), so the rest of the visit stays in it.
public enum ConsoleLanguage: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// The cookie that remembers the choice.
    static let cookieName = "cf_lang"

    /// `?lang=` when given and known, else the cookie, else zh-CN.
    static func of(_ request: Request) -> ConsoleLanguage {
        if let asked = requested(request) { return asked }
        if let cookie = request.cookies[cookieName]?.value, let language = ConsoleLanguage(code: cookie) { return language }
        return .zhCN
    }

    /// The language named by the request's `?lang=` (nil when absent or unknown).
    static func requested(_ request: Request) -> ConsoleLanguage? {
        request.uri.queryParameters.get("lang").flatMap(ConsoleLanguage.init(code:))
    }

    /// Accepts `zh-CN`, `zh`, `zh_CN` and `en` (any case).
    init?(code: String) {
        switch code.lowercased() {
        case "zh-cn", "zh", "zh_cn": self = .zhCN
        case "en", "en-us", "en_us": self = .en
        default: return nil
        }
    }

    /// The value of `<html lang>`.
    var htmlLang: String { rawValue }

    /// The label table of this language.
    var text: ConsoleText { ConsoleText(language: self) }
}
