/// One connection to the status page as a value: the head read so far, the answer being sent, and the
/// deadline of the whole exchange. The server's loop does the socket I/O this asks for.
///
/// - Important: the deadline covers the whole request and answer, not each read, so a client that
///   drips one byte a second is cut off (with a 408 when nothing was answered yet) like one that
///   sends nothing at all.
struct StatusPageExchange {
    /// What the server does next with this connection.
    enum Next: Equatable {
        /// Wait for more of the request.
        case read
        /// Send these bytes (the rest of the answer).
        case write(ArraySlice<UInt8>)
        /// Close the connection.
        case close
    }

    /// Monotonic milliseconds after which the connection is cut off.
    let deadline: Int64
    private(set) var head: [UInt8] = []
    private var answer: [UInt8]?
    private var sent = 0

    init(deadline: Int64) { self.deadline = deadline }

    var next: Next {
        guard let answer else { return .read }
        return sent < answer.count ? .write(answer[sent...]) : .close
    }

    /// Takes bytes the client sent; answers once the head is complete or too large.
    mutating func received(_ bytes: some Collection<UInt8>, respond: ([UInt8]) -> [UInt8]) -> Next {
        guard answer == nil else { return next }
        let searchFrom = max(0, head.count - 3)
        head += bytes
        if head.count > StatusPageServer.maximumRequestBytes || Self.endsHead(head[searchFrom...]) {
            answer = respond(head)
        }
        return next
    }

    /// The client closed its side: answer what arrived (an incomplete head is answered 400).
    mutating func clientClosed(respond: ([UInt8]) -> [UInt8]) -> Next {
        if answer == nil { answer = head.isEmpty ? [] : respond(head) }
        return next
    }

    /// `count` bytes of the answer went out.
    mutating func wrote(_ count: Int) -> Next {
        sent += count
        return next
    }

    /// The deadline passed: a 408 when nothing was answered yet (sent once, best effort), then close.
    mutating func expired() -> Next {
        guard answer == nil else { return .close }
        answer = StatusPage.response(408, "Request Timeout", text: "the request did not arrive in time\n")
        return next
    }

    /// Whether `bytes` hold the blank line that ends a head: LF, an optional CR, LF.
    static func endsHead(_ bytes: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in bytes {
            if byte == 10 && (previous == 10 || previous == 13 && beforePrevious == 10) { return true }
            (beforePrevious, previous) = (previous, byte)
        }
        return false
    }
}
