/// The names nginx-rtmp reports a stream under: the single-use key the agent pushed to, or the
/// public name `lesson-<orderID>` that `on_publish` redirected it to
/// (``LessonViewing/publicStreamName(orderID:)``); the recording's file name and the later hooks may
/// carry either.
enum MediaStreamName {
    /// The order of a stream name, by its public name or by the key's hash; nil when there is none.
    static func order(named name: String, store: any CollectorStore) async throws -> SpotCheckOrderRecord? {
        guard !name.isEmpty else { return nil }
        if let id = LessonViewing.orderID(publicStreamName: name) {
            return try await store.spotCheckOrder(id: id)
        }
        return try await store.spotCheckOrder(streamKeyHash: Secrets.hash(name))
    }

    /// What may be stored of a stream name: the public name as it is, a key only as its hash.
    static func stored(_ name: String) -> String {
        LessonViewing.orderID(publicStreamName: name) != nil ? name : "sha256:" + Secrets.hash(name)
    }
}
