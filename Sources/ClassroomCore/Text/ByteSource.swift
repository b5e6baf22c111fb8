/// Bytes read front to back in pieces: how the loader reads a file too large to hold whole (a
/// province's timetable is hundreds of megabytes). The file adapters implement it over a file
/// descriptor; ``ByteArraySource`` serves bytes already in memory.
public protocol ByteSource {
    /// The number of bytes, when known (to size what is built from them); nil when unknown.
    var byteCount: Int? { get }
    /// Reads the next bytes into `buffer`: how many were read, 0 only at the end.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Back to the first byte (a file that turns out not to be UTF-8 is read again as GB18030).
    mutating func rewind() throws
}

/// A ``ByteSource`` over bytes in memory, handing out at most `pieceSize` bytes a read (tests use
/// small pieces to cut a file at every byte).
public struct ByteArraySource: ByteSource {
    public let bytes: [UInt8]
    public let pieceSize: Int
    private var position = 0

    public init(_ bytes: [UInt8], pieceSize: Int = .max) {
        precondition(pieceSize > 0, "a piece needs at least one byte")
        self.bytes = bytes
        self.pieceSize = pieceSize
    }

    public var byteCount: Int? { bytes.count }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let n = min(buffer.count, pieceSize, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }

    public mutating func rewind() { position = 0 }
}

extension ByteSource {
    /// The first `count` bytes (fewer when the source is shorter), read from the start.
    mutating func prefix(_ count: Int) throws -> [UInt8] {
        try rewind()
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try bytes.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n == 0 { break }
            filled += n
        }
        return Array(bytes[..<filled])
    }
}
