import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Synchronization
import Testing

/// `-v` / `-vv`: one line per API call over REST and gRPC, bodies at `-vv`, credentials masked.
@Suite struct CallLogTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func log(_ level: CallLog.Level, bodyLimit: Int = 4096) -> CallLog { CallLog(level: level, bodyLimit: bodyLimit) { line in self.lines.withLock { $0.append(line) } } }
    }

    /// Answers every request with `status` and `body`, in chunks of 10 bytes.
    struct Canned: HTTPTransport {
        var status = 200
        var body = Array(#"{"ok":true,"padding":"0123456789012345678901234567890123456789"}"#.utf8)
        func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
            let (status, body) = (status, body)
            return AsyncThrowingStream { continuation in
                continuation.yield(.head(status: status, headers: [:]))
                for start in stride(from: 0, to: body.count, by: 10) { continuation.yield(.body(Array(body[start..<min(body.count, start + 10)]))) }
                continuation.finish()
            }
        }
    }

    @Test func aCallIsOneLineAndBodiesComeAtTheSecondLevelShortenedAndMasked() async throws {
        Redaction.register("s3cret-token-value")
        let request = TransportRequest(method: "POST", url: URL(string: "http://user:pw-in-url@127.0.0.1:8081/v1/job/submit?x=1")!,
                                       headers: ["Authorization": "Bearer s3cret-token-value"], body: Array(#"{"token":"s3cret-token-value"}"#.utf8))
        let calls = Lines()
        let response = try await LoggingTransport(Canned(), log: calls.log(.calls)).send(request)
        #expect(response.status == 200 && response.body == Canned().body) // passed on untouched
        #expect(calls.all.count == 1)
        #expect(calls.all[0].hasPrefix("api: POST /v1/job/submit?x=1 → 200 in ") && calls.all[0].hasSuffix(" ms (64 B)"), "\(calls.all)")
        let bodies = Lines()
        _ = try await LoggingTransport(Canned(status: 400), log: bodies.log(.bodies, bodyLimit: 20)).send(request)
        #expect(bodies.all.count == 3, "\(bodies.all)")
        // Masked whole, then shortened: a limit inside the secret cannot reveal its first part.
        #expect(bodies.all[0] == #"api:   POST /v1/job/submit?x=1 request body: {"token":"[REDACTED] … (2 more bytes)"#, "\(bodies.all)")
        #expect(bodies.all[1].hasPrefix("api: POST /v1/job/submit?x=1 → 400 in "))
        #expect(bodies.all[2] == #"api:   response body: {"ok":true,"padding" … (44 more bytes)"#, "\(bodies.all)")
        #expect(!(calls.all + bodies.all).joined().contains("s3cret-token-value") && !(calls.all + bodies.all).joined().contains("pw-in-url"))
    }

    @Test(.timeLimit(.minutes(1))) func restAndGRPCCallsOfARealClientAreLogged() async throws {
        let simulator = Simulator(config: SimConfig(timings: TestCaseRunnerTests.fast), runtime: ModelRuntime())
        try await SimServer.withFrontDoors(simulator) { ports in
            let rest = Lines()
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(ports.rest)")!,
                                          transport: LoggingTransport(RoutingTransport(), log: rest.log(.calls)), retry: .none)
            try await client.createQueue(Queue(name: "logged-q", priorityFactor: 1))
            await #expect(throws: ArmadaError.self) { try await client.getQueue("missing-q") }
            #expect(rest.all.count == 2, "\(rest.all)")
            #expect(rest.all[0].hasPrefix("api: POST /v1/queue → 200 in "), "\(rest.all)")
            #expect(rest.all[1].hasPrefix("api: GET /v1/queue/missing-q → 404 in "), "\(rest.all)")
            let grpc = Lines()
            try await ArmadaGRPCClient.withClient(GRPCEndpoint(host: "127.0.0.1", port: ports.grpc ?? 0, tls: false), callTimeout: .seconds(60),
                                                  retry: .none, callLog: grpc.log(.bodies)) { client in
                _ = try await client.getQueue("logged-q")
                await #expect(throws: ArmadaError.self) { try await client.getQueue("missing-q") }
            }
            let lines = grpc.all
            #expect(lines.contains { $0.hasPrefix("api:   api.Submit/GetQueue request: {") && $0.contains("logged-q") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("api: api.Submit/GetQueue → OK in ") && $0.hasSuffix("(1 message)") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("api: api.Submit/GetQueue → notFound in ") }, "\(lines)")
        }
    }
}
