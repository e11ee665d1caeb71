import ArmadaClient
import Foundation
import Hummingbird
import Logging
import Synchronization

/// A scriptable HTTP server on an ephemeral loopback port, standing in for Armada's gateway.
/// Handlers record what they received in `log` and can wait on `Gate`s the test opens.
enum TestGateway {
    static func run(_ routes: (Router<BasicRequestContext>) -> Void,
                    _ body: @Sendable (URL) async throws -> Void) async throws {
        let router = Router()
        routes(router)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-gateway")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  portContinuation.yield(channel.localAddress?.port ?? 0)
                                  portContinuation.finish()
                              }, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            try await body(URL(string: "http://127.0.0.1:\(port)")!)
        }
    }

    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer(text)))
    }

    static func bodyText(_ request: Request) async throws -> String {
        String(buffer: try await request.body.collect(upTo: 1 << 20))
    }
}

/// A thread-safe list of what the server saw.
final class Log<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
    var count: Int { items.withLock { $0.count } }
}

/// A one-shot signal one side waits for and the other opens.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.open = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { s -> Bool in
                if s.open { return true }
                s.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// Runs `operation`, failing with `TimedOut` if it takes longer than `limit` (so a broken test
/// fails instead of hanging).
struct TimedOut: Error {}

func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut() }
        return value
    }
}

/// A client with fast retries, for tests.
func testClient(_ url: URL, credentials: any CredentialProvider = NoCredentials(),
                retry: RetrySchedule = RetrySchedule(initialDelay: .milliseconds(2), maxDelay: .milliseconds(10),
                                                     deadline: .seconds(30), jitter: 0)) -> ArmadaRESTClient {
    ArmadaRESTClient(baseURL: url, credentials: credentials, callTimeout: .seconds(10), retry: retry)
}
