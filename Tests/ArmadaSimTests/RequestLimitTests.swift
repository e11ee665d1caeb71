import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// Requests too large to serve are refused with a 4xx that names the limit, and the simulator
/// stays healthy (issue #14 item 4).
@Suite struct RequestLimitTests {
    @Test func jobStatusRefusesMoreThan500IdsAndTheClientAsksInChunks() async throws {
        try await SimHarness.run { client, _ in
            let ids = (0..<501).map { "id-\($0)" }
            let body = String(decoding: try JSONEncoder().encode(JobStatusRequest(jobIds: ids)), as: UTF8.self)
            let (status, text) = try await HostileNumberTests.raw(client.baseURL, "POST", "/v1/job/status", body)
            #expect(status == 500 && text.contains("\"code\":2") && text.contains("too many job ids: 501 given, at most 500"), "\(text)")
            let (ok, _) = try await HostileNumberTests.raw(client.baseURL, "POST", "/v1/job/status",
                                                           String(decoding: try JSONEncoder().encode(JobStatusRequest(jobIds: Array(ids.prefix(500)))), as: UTF8.self))
            #expect(ok == 200)
            // 20 000 ids (22 s before the limit) in 40 requests, each answered at once.
            let many = (0..<20_000).map { "id-\($0)" }
            let states = try await client.jobStatus(many).jobStates
            #expect(states.count == 20_000 && states.values.allSatisfy { $0 == .unknown })
        }
    }

    @Test func aBodyDeclaredOverTheLimitIsRefusedAndTheConnectionClosed() async throws {
        try await SimHarness.run { client, _ in
            let port = try #require(client.baseURL.port)
            let answer = try await RawConnection.exchange(
                port: port, head: "POST /v1/job/submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n",
                body: Array(repeating: UInt8(ascii: " "), count: 1_024), chunks: 1)
            #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(answer.text.prefix(200))")
            #expect(answer.text.contains("larger than the simulator's limit of 64 MiB (67108864 bytes)"))
            #expect(answer.closed)
            try await client.health()
        }
    }

    @Test func aChunkedBodyThatNeverEndsIsCutOffAtTheLimit() async throws {
        try await SimHarness.run { client, _ in
            let port = try #require(client.baseURL.port)
            // 1 MiB chunks for ever (up to 200 MiB): the simulator must answer and close, not drain.
            let answer = try await RawConnection.exchange(
                port: port, head: "POST /v1/job/submit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                body: Array("100000\r\n".utf8) + Array(repeating: UInt8(ascii: " "), count: 1 << 20) + Array("\r\n".utf8), chunks: 200)
            #expect(answer.sentChunks < 200, "the simulator read every chunk")
            #expect(answer.closed)
            if !answer.text.isEmpty { // unless the reset overtook the answer
                #expect(answer.text.hasPrefix("HTTP/1.1 400") && answer.text.contains("64 MiB"), "\(answer.text.prefix(200))")
            }
            try await client.health()
        }
    }
}

/// A blocking loopback HTTP/1.1 connection with 10 s socket timeouts, for requests no client
/// library would send.
struct RawConnection {
    let fd: Int32

    /// Connects to `port` and runs `exchange` on a thread of its own: on Swift's cooperative pool
    /// the blocking socket would starve the in-process simulator it talks to.
    static func exchange(port: Int, head: String, body: [UInt8], chunks: Int) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try RawConnection(port: port).exchange(head: head, body: body, chunks: chunks) })
            }
        }
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    struct Answer {
        var text: String
        /// The server closed the connection (end of stream or reset) within the timeout.
        var closed: Bool
        var sentChunks: Int
    }

    /// Sends `head`, then `body` up to `chunks` times while the server takes it, then reads the
    /// answer until the server closes the connection.
    func exchange(head: String, body: [UInt8], chunks: Int) -> Answer {
        defer { close(fd) }
        var sent = 0
        guard send(Array(head.utf8)) else { return Answer(text: "", closed: true, sentChunks: 0) }
        while sent < chunks, send(body) { sent += 1 }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var closed = false
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { received += buffer.prefix(n); continue }
            closed = n == 0 || errno == ECONNRESET
            break
        }
        return Answer(text: String(decoding: received, as: UTF8.self), closed: closed, sentChunks: sent)
    }

    private func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }
}
