import ClassroomCore
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts a notification to a WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content":…}}`.
/// WeCom answers HTTP 200 with `{"errcode":0,"errmsg":"ok"}`; any other status, a non-zero
/// `errcode` (45009: over 20 messages a minute) or no answer within the timeout is a failure.
public struct WeComWebhookSender: AlertSender {
    let url: URL
    let zone: CountyTimeZone
    let consoleURL: String?
    let timeout: Duration
    /// Its own session: a busy process's shared one (long polls, other clients) must not queue the
    /// robot's messages behind its per-host connection limit until they time out.
    let session: URLSession

    public init(webhook: String, zone: CountyTimeZone, consoleURL: String?, timeout: Duration) throws {
        guard let url = URL(string: webhook), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw AlertConfigurationError(option: "--alert-wecom-webhook", message: "must be an http(s) URL")
        }
        self.url = url
        self.zone = zone
        self.consoleURL = consoleURL
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = Self.seconds(timeout)
        session = URLSession(configuration: configuration)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    public func send(_ notification: AlertNotification) async throws {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = AlertMessage(notification: notification, zone: zone, consoleURL: consoleURL).wecomBody
        request.timeoutInterval = Self.seconds(timeout)
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            // URLError's description may carry the URL, and so the key: say what kind of failure only.
            let code = (error as? URLError)?.code.rawValue
            throw AlertSendError("webhook request failed\(code.map { " (URLError \($0))" } ?? "")")
        }
        guard let http = response as? HTTPURLResponse else { throw AlertSendError("webhook answered without HTTP") }
        guard http.statusCode == 200 else { throw AlertSendError("webhook answered HTTP \(http.statusCode)") }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let errcode = (json["errcode"] as? NSNumber)?.intValue
        else { throw AlertSendError("webhook answer is not WeCom's JSON with errcode") }
        guard errcode == 0 else {
            let message = (json["errmsg"] as? String).map { String($0.prefix(200)) } ?? ""
            throw AlertSendError("webhook errcode \(errcode): \(message)")
        }
    }
}
