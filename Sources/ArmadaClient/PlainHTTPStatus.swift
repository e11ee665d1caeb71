import ArmadaAPI
import Foundation
import NIOPosix

/// The status of a plain-HTTP `GET /`, read as leniently as Go's client reads it:
/// - a response whose lines end in a bare LF (a `busybox nc -e echo` server, as in upstream's
///   ingress case) is accepted, which Foundation's URLSession refuses ("Failed writing header");
/// - a head followed by a reset (that server closes with the request unread) still counts: the
///   socket is read with blocking calls, which return the data before the reset, where an event
///   loop that sees the reset first drops it.
/// Only the head is read; the connection is closed then. Runs on NIO's blocking thread pool.
public enum PlainHTTPStatus {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func get(host: String, port: Int, hostHeader: String, timeout: Duration) async throws -> Int {
        let request = "GET / HTTP/1.1\r\nHost: \(hostHeader)\r\nUser-Agent: armada-testsuite\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        let millis = Int32(clamping: max(100, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        let head = try await NIOThreadPool.singleton.runIfActive { try exchange(host: host, port: port, request: Array(request.utf8), millis: millis) }
        return try status(of: head)
    }

    /// Connects (within `millis`), sends `request` and reads until the head's blank line, the
    /// connection's end or a reset after some bytes.
    static func exchange(host: String, port: Int, request: [UInt8], millis: Int32) throws -> [UInt8] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else { throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), first.pointee.ai_protocol)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // Connect without blocking, then wait for it at most `millis`.
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS else { throw Failure(description: "connect to \(host):\(port): \(String(cString: strerror(errno)))") }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&p, 1, millis) == 1 else { throw Failure(description: "connect to \(host):\(port): timed out") }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw Failure(description: "connect to \(host):\(port): \(String(cString: strerror(error)))") }
        }
        _ = fcntl(fd, F_SETFL, flags)
        var limit = timeval(tv_sec: Int(millis / 1000), tv_usec: Int(millis % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            // A server that answers without reading may already have closed: read what it sent.
            guard n > 0 else { break }
            sent += n
        }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < 64 * 1024, HTTPHead.end(head) == nil {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                head += buffer[..<n]
            } else if n == 0 || !head.isEmpty {
                break
            } else if errno != EINTR {
                throw Failure(description: errno == EAGAIN ? "no response head in time" : "reading from \(host):\(port): \(String(cString: strerror(errno)))")
            }
        }
        return head
    }

    /// The code of a status line `HTTP/1.x NNN …`.
    public static func status(of head: [UInt8]) throws -> Int {
        let text = String(decoding: head, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), parts[1].count == 3, let code = Int(parts[1]) else {
            throw Failure(description: head.isEmpty ? "the connection closed without a response" : "not an HTTP response: \(text.prefix(80).debugDescription)")
        }
        return code
    }
}
