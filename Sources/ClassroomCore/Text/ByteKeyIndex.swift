/// Strings to their ordinals, found by UTF-8 bytes without making a `String` and hashing it with
/// SipHash: a province's timetable names a school, a room, a teacher and a subject on each of its
/// millions of rows. Open addressing over one buffer of the keys' bytes, in memory of its own so
/// that a lookup retains nothing and checks no bounds twice.
final class ByteKeyIndex {
    /// The keys, in ordinal order.
    @exclusivity(unchecked) private(set) var keys: [String] = []
    /// `keys.count`, kept apart so that a lookup does not touch the array.
    @exclusivity(unchecked) private var keyCount = 0
    @exclusivity(unchecked) private var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var bytesCount = 0
    @exclusivity(unchecked) private var bytesCapacity: Int
    /// Where key `k`'s bytes start in ``bytes`` (and end, at entry `k + 1`).
    @exclusivity(unchecked) private var offsets: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var offsetsCapacity: Int
    /// Ordinal + 1 of the key in each slot; 0 is empty.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var mask: Int
    /// Ordinal + 1 of the key last found with each of 1,024 hashes: a timetable's rows come school by
    /// school, and the few ids of one school are then found without a probe of the large table.
    private let recent: UnsafeMutablePointer<Int32>

    init(minimumCapacity: Int = 16) {
        var size = 16
        while size < 2 * minimumCapacity { size *= 2 }
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        offsetsCapacity = size / 2 + 1
        offsets = .allocate(capacity: offsetsCapacity)
        offsets[0] = 0
        bytesCapacity = 16 * size
        bytes = .allocate(capacity: bytesCapacity)
        recent = .allocate(capacity: 1024)
        recent.initialize(repeating: 0, count: 1024)
    }

    /// The index of `keys` (the first ordinal of a key that appears twice).
    convenience init(_ keys: [String]) {
        self.init(minimumCapacity: keys.count)
        self.keys.reserveCapacity(keys.count)
        for key in keys { _ = insert(key) }
    }

    deinit {
        recent.deallocate()
        slots.deallocate()
        offsets.deallocate()
        bytes.deallocate()
    }

    var count: Int { keys.count }

    /// Eight bytes at a time, multiplied and folded (ids are short: one or two words).
    @inline(__always)
    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        let k: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(key.count) &* k
        var i = 0
        while i < key.count {
            let w = word(key, at: i)
            h = (h ^ w) &* k
            h ^= h >> 32
            i += 8
        }
        return Int(truncatingIfNeeded: h ^ h >> 29)
    }

    /// Bytes `i..<i + 8` of `key` as one word (little-endian), zeros past its end.
    @inline(__always)
    private static func word(_ key: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt64 {
        let base = UnsafeRawPointer(key.baseAddress! + i)
        let left = key.count - i
        if left >= 8 { return base.loadUnaligned(as: UInt64.self) }
        // The tail in at most three loads instead of a byte at a time (ids are 6 to 12 bytes).
        var w: UInt64 = 0
        var shift: UInt64 = 0
        var j = 0
        if left & 4 != 0 {
            w = UInt64(base.loadUnaligned(as: UInt32.self).littleEndian)
            shift = 32
            j = 4
        }
        if left & 2 != 0 {
            w |= UInt64(base.loadUnaligned(fromByteOffset: j, as: UInt16.self).littleEndian) << shift
            shift += 16
            j += 2
        }
        if left & 1 != 0 { w |= UInt64(base.load(fromByteOffset: j, as: UInt8.self)) << shift }
        return w
    }

    /// Whether key `k` (an ordinal below ``count``) has the UTF-8 `key`.
    @inline(__always)
    private func matches(_ k: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[k]
        let n = key.count
        guard offsets[k + 1] - start == n else { return false }
        let stored = UnsafeBufferPointer(start: bytes + start, count: n)
        var j = 0
        while j < n, Self.word(stored, at: j) == Self.word(key, at: j) { j += 8 }
        return j >= n
    }

    /// ``find(_:)``, trying the ordinal `hint` first (no hash): a timetable names the same school, and
    /// often the same subject, on row after row.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, hint: Int) -> Int? {
        if hint >= 0, hint < keyCount, matches(hint, key) { return hint }
        return find(key)
    }

    /// The ordinal of the key whose UTF-8 is `key`, or nil.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        let r = Int(recent[hash & 1023]) - 1
        if r >= 0, matches(r, key) { return r }
        let slots = self.slots
        let mask = self.mask
        var i = hash & mask
        while true {
            let k = Int(slots[i]) - 1
            if k < 0 { return nil }
            if matches(k, key) {
                recent[hash & 1023] = Int32(k + 1)
                return k
            }
            i = (i + 1) & mask
        }
    }

    func find(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { find($0) }
    }

    /// The ordinal of `key`, added when new.
    func insert(_ key: String) -> Int {
        var key = key
        let (k, new) = key.withUTF8 { utf8 -> (Int, Bool) in
            if let k = find(utf8) { return (k, false) }
            let k = keys.count
            if 2 * (k + 1) > mask + 1 { growSlots() }
            if k + 2 > offsetsCapacity {
                offsetsCapacity *= 2
                let grown = UnsafeMutablePointer<Int>.allocate(capacity: offsetsCapacity)
                grown.update(from: offsets, count: k + 1)
                offsets.deallocate()
                offsets = grown
            }
            if bytesCount + utf8.count > bytesCapacity {
                bytesCapacity = max(2 * bytesCapacity, bytesCount + utf8.count)
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: bytesCapacity)
                grown.update(from: bytes, count: bytesCount)
                bytes.deallocate()
                bytes = grown
            }
            for (j, b) in utf8.enumerated() { bytes[bytesCount + j] = b }
            bytesCount += utf8.count
            offsets[k + 1] = bytesCount
            place(k, hash: Self.hash(utf8))
            return (k, true)
        }
        if new {
            keys.append(key)
            keyCount = keys.count
        }
        return k
    }

    private func place(_ k: Int, hash: Int) {
        var i = hash & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = Int32(k + 1)
    }

    private func growSlots() {
        let size = 2 * (mask + 1)
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        mask = size - 1
        for k in 0..<keys.count {
            place(k, hash: Self.hash(UnsafeBufferPointer(start: bytes + offsets[k], count: offsets[k + 1] - offsets[k])))
        }
    }
}
