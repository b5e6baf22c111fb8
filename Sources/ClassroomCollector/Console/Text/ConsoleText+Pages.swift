extension ConsoleText {
    /// Labels of the content pages (overview, schools, devices, spot-checks), filled by those pages.
    /// Same keys in both tables; a key here must not repeat a layout or admin key.
    static let pagesZhCN: [String: String] = [:]

    /// English labels of the content pages (same keys as ``pagesZhCN``).
    static let pagesEn: [String: String] = [:]
}
