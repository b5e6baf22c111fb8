import Glibc

extension StatusPageServer {
    /// One open connection of the loop.
    struct Connection {
        let fd: Int32
        var exchange: StatusPageExchange
    }

    /// The server's loop on its own thread: every connection is non-blocking and multiplexed with
    /// `poll`, woken at least every ½ s so that ``stop()`` is seen and deadlines are enforced.
    static func serve(_ listener: Int32, page: StatusPage, deadlineMillis: Int64, stop: DedicatedThread.StopFlag) {
        var connections: [Connection] = []
        defer {
            for connection in connections { close(connection.fd) }
            close(listener)
        }
        let respond = { (head: [UInt8]) in page.respond(to: head) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !stop.isSet {
            var polled = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            for connection in connections {
                let events = connection.exchange.next == .read ? POLLIN : POLLOUT
                polled.append(pollfd(fd: connection.fd, events: Int16(events), revents: 0))
            }
            let now = monotonicMillis()
            let soonest = connections.map { $0.exchange.deadline - now }.min() ?? 500
            guard poll(&polled, nfds_t(polled.count), Int32(max(0, min(500, soonest)))) >= 0 else { continue }
            let after = monotonicMillis()
            var kept: [Connection] = []
            for (index, var connection) in connections.enumerated() {
                var next = connection.exchange.next
                if polled[index + 1].revents != 0 {
                    next = step(&connection, buffer: &buffer, respond: respond)
                }
                if next != .close, after >= connection.exchange.deadline {
                    // Cut off: one best-effort write of the 408, whatever the client does.
                    if case .write(let bytes) = connection.exchange.expired() { _ = sendSome(connection.fd, bytes) }
                    next = .close
                }
                if next == .close {
                    closeDrained(connection.fd)
                } else {
                    kept.append(connection)
                }
            }
            connections = kept
            if polled[0].revents & Int16(POLLIN) != 0 {
                acceptAll(listener, into: &connections, deadline: after + deadlineMillis)
            }
        }
    }

    /// Reads or writes what the connection is ready for; returns what comes next.
    static func step(
        _ connection: inout Connection, buffer: inout [UInt8], respond: ([UInt8]) -> [UInt8]
    ) -> StatusPageExchange.Next {
        switch connection.exchange.next {
        case .read:
            let count = buffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return connection.exchange.received(buffer[0..<count], respond: respond) }
            if count == 0 { return connection.exchange.clientClosed(respond: respond) }
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .read : .close
        case .write(let bytes):
            let wrote = sendSome(connection.fd, bytes)
            if wrote < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .write(bytes) : .close }
            let next = connection.exchange.wrote(wrote)
            if next == .close { shutdown(connection.fd, Int32(SHUT_WR)) }
            return next
        case .close:
            return .close
        }
    }

    /// Accepts every waiting connection; past ``maximumConnections`` they are answered 503 at once.
    static func acceptAll(_ listener: Int32, into connections: inout [Connection], deadline: Int64) {
        while true {
            // accept4 is not in Glibc's Swift overlay: set the flags right after accept (one thread).
            let fd = accept(listener, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            guard connections.count < maximumConnections else {
                _ = sendSome(fd, StatusPage.response(503, "Service Unavailable", text: "too many connections\n")[...])
                close(fd)
                continue
            }
            connections.append(Connection(fd: fd, exchange: StatusPageExchange(deadline: deadline)))
        }
    }

    /// Closes after reading what the client still sent (at most 64 KiB, without waiting): closing with
    /// unread input makes the kernel reset the connection, and the client could lose the answer.
    static func closeDrained(_ fd: Int32) {
        var scratch = [UInt8](repeating: 0, count: 16_384)
        for _ in 0..<4 {
            let count = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count <= 0 { break }
        }
        close(fd)
    }

    /// One non-blocking `send`; the count written, or -1 with `errno`.
    static func sendSome(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
    }

    /// Milliseconds of the monotonic clock.
    static func monotonicMillis() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
