import Foundation

/// Headless Chromium driven through the DevTools protocol by `Tests/Fixtures/console/browser.py`
/// (why CDP: see that script). One ``run(_:)`` is one browser with one tab: cookies set by a step
/// (signing in) hold for the steps after it.
public struct ConsoleBrowser: Sendable {
    public var chromium: URL
    public var width = 1280
    public var height = 900

    /// Finds `chromium` on PATH (installed by `scripts/install-deps.sh test` with `fonts-noto-cjk`).
    public init() throws {
        chromium = try Self.executable(["chromium", "chromium-browser", "google-chrome"])
    }

    /// Runs the steps in one browser; throws when a step could not run (no such element, a page
    /// that never loaded), with the script's message and what was collected until then.
    ///
    /// The browser runs for tens of seconds: it is waited for off the cooperative pool.
    public func run(_ steps: [BrowserStep], timeout: Duration = .seconds(180)) async throws -> BrowserReport {
        let input = try JSONEncoder().encode(steps)
        let python = try Self.executable(["python3"])
        let arguments = [Self.script.path, "--chromium", chromium.path, "--width", String(width), "--height", String(height)]
        let output = try await TestProcess.offPool { try TestProcess.run(python, arguments, stdin: input, timeout: timeout) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] else {
            throw TestSupportError("browser.py printed no report (exit \(output.status)): \(output.stderr.suffix(2000))")
        }
        let report = BrowserReport(object)
        if let error = object["error"] as? String {
            throw TestSupportError("browser: \(error); console errors \(report.consoleErrors); responses \(report.responses)")
        }
        return report
    }

    static var script: URL {
        TestOutput.repository.appending(path: "Tests/Fixtures/console/browser.py")
    }

    static func executable(_ names: [String]) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in names {
                let url = URL(filePath: String(dir)).appending(path: name)
                if FileManager.default.isExecutableFile(atPath: url.path) { return url }
            }
        }
        throw TestSupportError("\(names[0]) not found on PATH: run 'bash scripts/install-deps.sh test'")
    }
}

/// One step of a browser run (see `browser.py` for what each does).
public struct BrowserStep: Encodable, Sendable {
    var op: String
    var url: String?
    var selector: String?
    var value: String?
    var name: String?
    var expression: String?
    var path: String?
    var width: Int?

    public static func open(_ url: String) -> BrowserStep { BrowserStep(op: "open", url: url) }
    public static func fill(_ selector: String, _ value: String) -> BrowserStep {
        BrowserStep(op: "fill", selector: selector, value: value)
    }
    /// Removes every element matching `selector` (result: how many).
    public static func remove(_ selector: String) -> BrowserStep { BrowserStep(op: "remove", selector: selector) }
    /// Submits the form and waits for the next page (result: its URL).
    public static func submit(_ selector: String) -> BrowserStep { BrowserStep(op: "submit", selector: selector) }
    /// Clicks and waits for the next page (result: its URL).
    public static func click(_ selector: String) -> BrowserStep { BrowserStep(op: "click", selector: selector) }
    public static func text(_ selector: String) -> BrowserStep { BrowserStep(op: "text", selector: selector) }
    public static func texts(_ selector: String) -> BrowserStep { BrowserStep(op: "texts", selector: selector) }
    public static func attribute(_ selector: String, _ name: String) -> BrowserStep {
        BrowserStep(op: "attr", selector: selector, name: name)
    }
    public static func evaluate(_ expression: String) -> BrowserStep { BrowserStep(op: "eval", expression: expression) }
    public static var url: BrowserStep { BrowserStep(op: "url") }
    public static var cookies: BrowserStep { BrowserStep(op: "cookies") }
    /// A full-page PNG at `path` (see ``TestOutput/directory(_:)``).
    public static func screenshot(_ path: URL) -> BrowserStep { BrowserStep(op: "screenshot", path: path.path) }
    /// Evaluates `expression` with print media emulated and the viewport `width` CSS pixels wide
    /// (680 px = 180 mm, an A4 page less 15 mm margins at 96 dpi), then restores the screen.
    public static func printed(width: Int = 680, _ expression: String) -> BrowserStep {
        BrowserStep(op: "print", expression: expression, width: width)
    }
    /// Prints the page to PDF at `path` with its CSS page size (result: the PDF's size in bytes).
    public static func pdf(_ path: URL) -> BrowserStep { BrowserStep(op: "pdf", path: path.path) }
}

/// What a browser run saw.
public struct BrowserReport: @unchecked Sendable {
    /// One result per step, as JSON values (`String`, `[String]`, `Int`, `[[String: Any]]`, `NSNull`).
    public let results: [Any]
    /// `console.error`, uncaught exceptions, and the browser's own errors (a blocked resource, a 404
    /// sub-resource, a content-security-policy violation).
    public let consoleErrors: [String]
    /// Requests that never got an answer (refused, blocked).
    public let failedRequests: [[String: String]]
    /// Every response: URL, status, method.
    public let responses: [(url: String, status: Int, method: String)]

    init(_ object: [String: Any]) {
        results = object["results"] as? [Any] ?? []
        consoleErrors = object["consoleErrors"] as? [String] ?? []
        failedRequests = (object["failedRequests"] as? [[String: Any]] ?? []).map { $0.mapValues { "\($0)" } }
        responses = (object["responses"] as? [[String: Any]] ?? []).map {
            (url: $0["url"] as? String ?? "", status: $0["status"] as? Int ?? 0, method: $0["method"] as? String ?? "")
        }
    }

    /// The result of step `index` as text (nil when it was not text).
    public func string(_ index: Int) -> String? { index < results.count ? results[index] as? String : nil }
    public func strings(_ index: Int) -> [String] { index < results.count ? results[index] as? [String] ?? [] : [] }
    public func cookies(_ index: Int) -> [[String: Any]] {
        index < results.count ? results[index] as? [[String: Any]] ?? [] : []
    }
    /// Responses with a status of 400 or more.
    public var errorResponses: [(url: String, status: Int, method: String)] { responses.filter { $0.status >= 400 } }
}

/// Where tests write what a person should look at (screenshots): `$CLASSROOMFLEET_TEST_OUTPUT`,
/// else `.build/test-output` in the repository.
public enum TestOutput {
    public static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The folder `name` under the test output, created.
    public static func directory(_ name: String) throws -> URL {
        let base =
            ProcessInfo.processInfo.environment["CLASSROOMFLEET_TEST_OUTPUT"].map { URL(filePath: $0) }
            ?? repository.appending(path: ".build/test-output")
        let url = base.appending(path: name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
