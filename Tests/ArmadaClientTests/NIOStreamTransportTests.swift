import ArmadaAPI
@testable import ArmadaClient
import Foundation
import Hummingbird
import Synchronization
import Testing

/// A counter one side raises and the other waits on until it reaches a value.
final class Progress: Sendable {
    private let state = Mutex<(value: Int, done: Bool, waiters: [(Int, CheckedContinuation<Void, Never>)])>((0, false, []))

    func add(_ n: Int, done: Bool = false) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.value += n
            s.done = s.done || done
            let (value, finished) = (s.value, s.done)
            let ready = s.waiters.filter { finished || $0.0 <= value }.map(\.1)
            s.waiters.removeAll { finished || $0.0 <= value }
            return ready
        }
        for w in ready { w.resume() }
    }

    /// Returns when the value is at least `target`, or the producer said it is done.
    func wait(atLeast target: Int) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { s -> Bool in
                if s.done || s.value >= target { return true }
                s.waiters.append((target, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }
}

@Suite struct NIOStreamTransportTests {
    @Test(.timeLimit(.minutes(1))) func aSlowConsumerHoldsTheServerBackInsteadOfBuffering() async throws {
        let lines = 4_000
        let padding = String(repeating: "x", count: 1_000)
        @Sendable func line(_ k: Int) -> String {
            #"{"result":{"id":"1:\#(k):0:1","message":{"failed":{"jobId":"j","reason":"\#(padding)"}}}}"# + "\n"
        }
        let lineBytes = line(1000).utf8.count
        let written = Progress()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                Response(status: .ok, body: ResponseBody { writer in
                    for k in 1...lines {
                        let text = line(k)
                        try await writer.write(TestGateway.buffer(text))
                        written.add(text.utf8.count)
                    }
                    written.add(0, done: true)
                    try await writer.finish(nil)
                })
            }
        }) { url in
            let transport = NIOStreamTransport(readAhead: 16 << 10, readSize: 16 << 10)
            let client = ArmadaRESTClient(baseURL: url, transport: transport)
            var received = 0
            for try await message in try await client.events(JobSetRequest(id: "s", queue: "q")) {
                received += 1
                #expect(message.id == "1:\(received):0:1")
                // Stay well behind the server: it must have written 96 KB more than was read.
                await written.wait(atLeast: received * lineBytes + (96 << 10))
            }
            #expect(received == lines)
            // Never more than read-ahead plus one read waited in this process, while the server
            // was up to 96 KB ahead (the rest sat in the kernel's socket buffers, or was not sent).
            #expect(transport.peakBufferedBytes > 0)
            #expect(transport.peakBufferedBytes <= (16 << 10) + (16 << 10), "\(transport.peakBufferedBytes)")
        }
    }

    @Test func sendsTheTargetHostAndBodyAsGiven() async throws {
        try await TestGateway.run({ router in
            router.post("/echo/{segment}") { request, _ -> Response in
                let body = try await TestGateway.bodyText(request)
                let host = request.head.authority ?? "-"
                let length = request.headers[.contentLength] ?? "-"
                return TestGateway.json(.ok, "\(request.uri.path) \(request.uri.query ?? "-") \(host) \(length) \(body)")
            }
        }) { url in
            let port = url.port!
            let target = URL(string: "http://127.0.0.1:\(port)/echo/a%20b%2Fc?x=1%202&y=%C3%A9")!
            let response = try await NIOStreamTransport().send(TransportRequest(method: "POST", url: target, headers: ["X-Test": "1"],
                                                                               body: Array(#"{"k":"v"}"#.utf8)))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self)
                == #"/echo/a%20b%2Fc x=1%202&y=%C3%A9 127.0.0.1:\#(port) 9 {"k":"v"}"#)
        }
    }

    @Test func connectionRefusedIsATransportErrorThatSaysSo() async throws {
        // Nothing listens on port 1 of the loopback interface.
        let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:1")!, transport: NIOStreamTransport())
        let error = await #expect(throws: ArmadaError.self) {
            for try await _ in try await client.events(JobSetRequest(id: "s", queue: "q")) {}
        }
        #expect(error?.kind == .transport)
        #expect(error?.message.contains("connection refused") == true, "\(String(describing: error))")
    }

    @Test func aTLSURLIsRefusedRatherThanSpokenToInPlainText() async throws {
        let client = ArmadaRESTClient(baseURL: URL(string: "https://127.0.0.1:1")!, transport: NIOStreamTransport())
        let error = await #expect(throws: ArmadaError.self) {
            for try await _ in try await client.events(JobSetRequest(id: "s", queue: "q")) {}
        }
        #expect(error?.kind == .transport && error?.message.contains("plain HTTP only") == true, "\(String(describing: error))")
    }

    @Test func plainHTTPGoesToNIOAndTLSOrAProxyToURLSession() {
        let http = URL(string: "http://localhost:8081/v1/job-set/q/s")!
        let https = URL(string: "https://armada.example.com/v1/job-set/q/s")!
        let routing = RoutingTransport(environment: [:])
        #expect(routing.goesToNIO(TransportRequest(method: "POST", url: http)))
        #expect(!routing.goesToNIO(TransportRequest(method: "POST", url: https)))
        let proxied = RoutingTransport(environment: ["HTTP_PROXY": "http://proxy:3128"])
        #expect(!proxied.goesToNIO(TransportRequest(method: "POST", url: http)))
    }
}
