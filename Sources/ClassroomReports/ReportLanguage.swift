/// Languages of the human-readable outputs (the CLI's reports and the console): Simplified Chinese
/// first, English on request.
public enum ReportLanguage: String, CaseIterable, Sendable, Hashable {
    case zh, en

    /// The `lang` attribute of an HTML page in this language.
    public var htmlTag: String { self == .zh ? "zh-CN" : "en" }
}
