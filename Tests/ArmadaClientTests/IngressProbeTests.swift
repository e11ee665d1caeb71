import ArmadaAPI
@testable import ArmadaClient
import Foundation
import Testing

/// The ingress probe's requests (testcase-format §2.10, with §7.13's fixes), its settings from
/// upstream's variables, and its lenient status reading.
@Suite struct IngressProbeTests {
    @Test func whereEachAddressIsProbed() throws {
        let direct = IngressProbe(settings: .init())
        #expect(direct.request(for: "nc-4000-armada-x-0.ns.svc")?.url.absoluteString == "http://nc-4000-armada-x-0.ns.svc/")
        // A NodePort address is probed at its own port, whatever the base (upstream ignored it).
        let based = IngressProbe(settings: .init(baseURL: URL(string: "http://127.0.0.1:8080"), port: nil))
        #expect(based.request(for: "h.svc").map { "\($0.url.absoluteString) \($0.host)" } == "http://127.0.0.1:8080/ h.svc")
        #expect(based.request(for: "10.213.0.5:5000").map { "\($0.url.absoluteString) \($0.host)" } == "http://10.213.0.5:5000/ 10.213.0.5:5000")
        let withPort = IngressProbe(settings: .init(baseURL: URL(string: "http://localhost"), port: 5001))
        #expect(withPort.request(for: "h.svc")?.url.absoluteString == "http://localhost:5001/")
        #expect(IngressProbe(settings: .init(useTLS: true)).request(for: "h.svc")?.url.absoluteString == "https://h.svc/")
        #expect(direct.request(for: "") == nil)
    }

    @Test func settingsComeFromUpstreamsVariables() throws {
        let s = try IngressProbe.Settings.fromEnvironment(["ARMADA_EXECUTOR_INGRESS_URL": "http://localhost", "ARMADA_EXECUTOR_INGRESS_PORT": "5001",
                                                           "ARMADA_EXECUTOR_USE_TLS": "false"])
        #expect(s.baseURL?.absoluteString == "http://localhost" && s.port == 5001 && !s.useTLS)
        #expect(try IngressProbe.Settings.fromEnvironment(["ARMADA_EXECUTOR_USE_TLS": "yes"]).useTLS)
        #expect(try IngressProbe.Settings.fromEnvironment([:]) == IngressProbe.Settings())
        for (name, value, says) in [("ARMADA_EXECUTOR_INGRESS_PORT", "70000", "is not a port (1-65535)"),
                                    ("ARMADA_EXECUTOR_INGRESS_PORT", "80x", "is not a port"),
                                    ("ARMADA_EXECUTOR_INGRESS_URL", "localhost:5001", "is not an http(s) URL with a host")] {
            #expect(throws: ArmadaError.self) { try IngressProbe.Settings.fromEnvironment([name: value]) }
            do {
                _ = try IngressProbe.Settings.fromEnvironment([name: value])
            } catch {
                #expect("\(error)".contains("\(name)=\(value) \(says)"), "\(error)")
            }
        }
    }

    @Test func statusLinesAreReadLikeGoReadsThem() throws {
        #expect(try PlainHTTPStatus.status(of: Array("HTTP/1.1 200 OK\nContent-Length: 12\n\nHello".utf8)) == 200)
        #expect(try PlainHTTPStatus.status(of: Array("HTTP/1.0 502 Bad Gateway\r\n\r\n".utf8)) == 502)
        #expect(throws: (any Error).self) { try PlainHTTPStatus.status(of: []) }
        #expect(throws: (any Error).self) { try PlainHTTPStatus.status(of: Array("SSH-2.0-OpenSSH\r\n".utf8)) }
        #expect(throws: (any Error).self) { try PlainHTTPStatus.status(of: Array("HTTP/1.1 20 OK\r\n\r\n".utf8)) }
        #expect(HTTPHead.end(Array("HTTP/1.1 200 OK\n\n".utf8)) != nil && HTTPHead.end(Array("HTTP/1.1 200 OK\r\n".utf8)) == nil)
    }

    /// A server that answers with bare LFs and closes with the request unread (a reset): the probe
    /// still reads its 200, as Go's client does; a closed port is an error that names it.
    @Test func aBareLFAnswerFollowedByAResetCounts() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                try #require(bind(listener, sa, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, sa, &length) == 0)
            }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let server = Thread {
            let client = accept(listener, nil, nil)
            let answer = Array("HTTP/1.1 200 OK\nContent-Length: 2\n\nok".utf8)
            _ = answer.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client) // the request is unread: the kernel resets the connection
        }
        server.start()
        let status = try await PlainHTTPStatus.get(host: "127.0.0.1", port: port, hostHeader: "x.svc", timeout: .seconds(5))
        #expect(status == 200)
        let refused = IngressProbe(settings: .init(deadline: .milliseconds(300), interval: .milliseconds(100)))
        let failure = await refused.run("127.0.0.1:1")
        #expect(failure?.contains("connect to 127.0.0.1:1: Connection refused") == true, "\(failure ?? "nil")")
    }
}
