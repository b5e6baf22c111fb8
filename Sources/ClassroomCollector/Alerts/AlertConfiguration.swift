import ClassroomCore
import Foundation

/// How the collector raises device-health alerts and where it sends them (`serve --alert-…`).
public struct AlertConfiguration: Sendable {
    /// When a condition holds and how long a cleared one waits before its alert closes.
    public var thresholds = AlertThresholds()
    /// How often the conditions are evaluated.
    public var evaluationInterval: Duration = .seconds(300)
    /// The WeCom (企业微信) group robot webhook, `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`;
    /// nil: no WeCom messages.
    /// - Important: the key in it is a secret: never logged (``redactedWebhook``).
    public var wecomWebhook: String?
    /// Who receives alert emails; nil: no email.
    public var emailTo: String?
    /// The sender of alert emails.
    public var emailFrom = "classroom-collector"
    /// The MTA's sendmail interface (`sendmail -t` reads the recipients from the message).
    public var sendmail = "/usr/sbin/sendmail"
    /// The console's address, for links in messages (nil: no link).
    public var consoleURL: String?
    /// How a failed delivery is retried: the first retry after `retryBase`, doubling up to
    /// `retryMaximum`, given up (and logged) after `maximumAttempts` attempts.
    public var retryBase: Duration = .seconds(30)
    public var retryMaximum: Duration = .seconds(3600)
    public var maximumAttempts = 8
    /// How often the delivery outbox is looked at.
    public var deliveryInterval: Duration = .seconds(5)
    /// A single webhook request or sendmail run longer than this fails (and is retried).
    public var sendTimeout: Duration = .seconds(10)
    /// WeCom accepts at most 20 messages a minute per robot; more wait for the next minute.
    public var wecomMessagesPerMinute = 20

    public init() {}

    /// The channels configured, in the order they are served.
    public var channels: [AlertChannel] {
        var out: [AlertChannel] = []
        if wecomWebhook != nil { out.append(.wecom) }
        if emailTo != nil { out.append(.email) }
        return out
    }

    /// The webhook with its `key` replaced by `…`, for logs.
    public var redactedWebhook: String? { wecomWebhook.map(Self.redacted) }

    static func redacted(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        return String(url[..<q]) + "?key=…"
    }

    /// The delay before attempt `attempts + 1` after `attempts` failed ones (≥ 1).
    public func retryDelay(afterAttempts attempts: Int) -> Duration {
        let exponent = min(max(attempts - 1, 0), 30)
        let delay = retryBase * (1 << exponent)
        return min(delay, retryMaximum)
    }
}

extension AlertConfiguration {
    /// This configuration when every value is usable, or the first that is not, named as its
    /// `serve` option (the webhook's key is never part of the message).
    public func validated() throws(AlertConfigurationError) -> AlertConfiguration {
        func check(_ ok: Bool, _ option: String, _ message: String) throws(AlertConfigurationError) {
            if !ok { throw AlertConfigurationError(option: option, message: message) }
        }
        _ = try thresholds.validated()
        try check(
            evaluationInterval >= .seconds(10) && evaluationInterval <= .seconds(86_400), "--alert-interval",
            "must be 10…86400 seconds, not \(evaluationInterval)")
        if let wecomWebhook {
            let scheme = wecomWebhook.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() }
            try check(
                (scheme == "https" || scheme == "http") && URLParts.host(of: wecomWebhook) != nil,
                "--alert-wecom-webhook-file",
                "must hold an http(s) URL such as https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY")
        }
        if let emailTo {
            try check(
                Self.isAddressList(emailTo), "--alert-email-to",
                "must be one or more addresses separated by commas, such as dianjiao@example.cn, not '\(emailTo)'")
        }
        try check(
            !emailFrom.isEmpty && !emailFrom.contains(where: { $0 == "\n" || $0 == "\r" }), "--alert-email-from",
            "must be one line")
        try check(sendmail.hasPrefix("/"), "--alert-sendmail", "must be an absolute path, not '\(sendmail)'")
        try check((1...50).contains(maximumAttempts), "--alert-max-attempts", "must be 1…50, not \(maximumAttempts)")
        try check(
            retryBase >= .seconds(1) && retryBase <= retryMaximum, "--alert-retry-base",
            "must be at least 1 second and at most the longest retry delay (\(retryMaximum)), not \(retryBase)")
        try check(
            (1...20).contains(wecomMessagesPerMinute), "--alert-wecom-per-minute",
            "must be 1…20 (WeCom accepts 20 messages a minute per robot), not \(wecomMessagesPerMinute)")
        return self
    }

    static func isAddressList(_ text: String) -> Bool {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return !parts.isEmpty
            && parts.allSatisfy { p in
                let at = p.split(separator: "@", omittingEmptySubsequences: false)
                return at.count == 2 && !at[0].isEmpty && at[1].contains(".")
                    && !p.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\n" })
            }
    }
}

/// The host of an absolute URL, without Foundation's lenient parsing of odd input.
enum URLParts {
    static func host(of url: String) -> String? {
        guard let start = url.range(of: "://")?.upperBound else { return nil }
        let rest = url[start...]
        let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }.split(separator: "@").last.map(String.init) ?? ""
        return host.isEmpty ? nil : host
    }
}
