/// Finding bytes in encoded output, for the writers that splice a part written separately into what
/// `JSONEncoder` wrote (``SpotCheckReveal/encodedJSON()``, ``CoverageJSON/encode(_:)``).
enum ByteSearch {
    /// The index (in `haystack`'s indices) of the first occurrence of `needle`, nil when there is none.
    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for i in haystack.startIndex...(haystack.endIndex - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? { firstIndex(of: needle, in: haystack[...]) }
}
