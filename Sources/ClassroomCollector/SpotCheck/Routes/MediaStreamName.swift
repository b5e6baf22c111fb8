/// The names nginx-rtmp reports a stream under: the single-use key the agent pushed to, or the
/// public name `lesson-<orderID>` that `on_publish` redirected it to (the recording's file name and
/// the later hooks may carry either).
enum MediaStreamName {
    static let publicPrefix = "lesson-"

    /// The order of a stream name, by its public name or by the key's hash; nil when there is none.
    static func order(named name: String, store: any CollectorStore) async throws -> SpotCheckOrderRecord? {
        if name.hasPrefix(publicPrefix),
            let order = try await store.spotCheckOrder(id: String(name.dropFirst(publicPrefix.count)))
        {
            return order
        }
        return try await store.spotCheckOrder(streamKeyHash: Secrets.hash(name))
    }

    /// What may be stored of a stream name: the public name as it is, a key only as its hash.
    static func stored(_ name: String) -> String {
        name.hasPrefix(publicPrefix) ? name : "sha256:" + Secrets.hash(name)
    }
}
