import ArmadaAPI
import ArmadaClient
import Foundation
import Hummingbird
import Synchronization
import Testing

@Suite struct WatcherTests {
    static let total = 30

    /// Connection k (0-based) misbehaves as scripted; the server resumes strictly after the id it is given.
    enum Misbehaviour: Sendable { case status(HTTPResponse.Status, String), cutAfter(Int), cutMidLine(Int), errorChunkAfter(Int), replayOne, serveRest }

    static let script: [Misbehaviour] = [
        .status(.notFound, #"{"error":{"grpc_code":5,"http_code":404,"message":"[GetJobSetEvents] Queue q does not exist","http_status":"Not Found"}}"#),
        .cutAfter(4),
        .status(.internalServerError, #"{"error":{"grpc_code":2,"http_code":500,"message":"boom","http_status":"Internal Server Error"}}"#),
        .cutMidLine(5),
        .replayOne,
        .errorChunkAfter(3),
        .status(.forbidden, #"{"error":{"grpc_code":7,"http_code":403,"message":"[GetJobSetEvents] Queue q does not exist","http_status":"Forbidden"}}"#),
        .cutAfter(6),
        .serveRest,
    ]

    static func index(after id: String) -> Int {
        id.isEmpty ? 0 : Int(id.split(separator: ":")[1])!
    }

    @Test func deliversEveryEventOnceInOrderAcrossForcedDisconnects() async throws {
        let fromIds = Log<String>()
        let connection = Mutex(0)
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { request, _ -> Response in
                let body = try JSONDecoder().decode(JobSetRequest.self, from: Data(try await TestGateway.bodyText(request).utf8))
                fromIds.append(body.fromMessageId)
                let k = connection.withLock { c -> Int in defer { c += 1 }; return c }
                let behaviour = k < Self.script.count ? Self.script[k] : .serveRest
                var next = Self.index(after: body.fromMessageId) + 1
                if case .status(let status, let text) = behaviour { return TestGateway.json(status, text) }
                if case .replayOne = behaviour { next = max(1, next - 2) } // a server that replays what was already sent
                let start = next
                return Response(status: .ok, body: ResponseBody { writer in
                    var next = start
                    var sent = 0
                    while next <= Self.total {
                        switch behaviour {
                        case .cutAfter(let n) where sent == n: throw CancellationError()
                        case .cutMidLine(let n) where sent == n:
                            try await writer.write(TestGateway.buffer(String(eventLine(next).prefix(25))))
                            throw CancellationError()
                        case .errorChunkAfter(let n) where sent == n:
                            try await writer.write(TestGateway.buffer(#"{"error":{"grpc_code":14,"http_code":503,"message":"redis","http_status":"Service Unavailable"}}"#))
                            try await writer.finish(nil)
                            return
                        case .replayOne where sent == 4: throw CancellationError()
                        default: break
                        }
                        try await writer.write(TestGateway.buffer(eventLine(next)))
                        next += 1
                        sent += 1
                    }
                    // watch: true — stay open until the client goes away.
                    try await Task.sleep(for: .seconds(60))
                })
            }
        }) { url in
            let diagnostics = WatcherDiagnostics()
            let watcher = JobSetWatcher(client: testClient(url), queue: "q", jobSetId: "s",
                                        options: .init(initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5)),
                                        diagnostics: diagnostics)
            let ids = try await within(.seconds(30)) { () -> [Int] in
                var ids: [Int] = []
                for try await message in watcher {
                    ids.append(Self.index(after: message.id))
                    if ids.count == Self.total { break }
                }
                return ids
            }
            #expect(ids == Array(1...Self.total))
            let d = diagnostics.snapshot
            #expect(d.reconnects >= 5)
            #expect(d.duplicatesDropped >= 1)
            #expect(d.eventsDelivered == Self.total)
            #expect(d.lastMessageId == "1755781234567:\(Self.total):0:1")
        }
        // Resumed from the last id received before each break: nothing before the first event,
        // 4 after the first cut, 4+5 after the mid-line cut, and so on.
        let expected = ["", "", "1755781234567:4:0:1", "1755781234567:4:0:1", "1755781234567:9:0:1",
                        "1755781234567:11:0:1", "1755781234567:14:0:1", "1755781234567:14:0:1", "1755781234567:20:0:1"]
        #expect(Array(fromIds.all.prefix(expected.count)) == expected)
    }

    @Test func givesUpAfterConsecutiveFailuresWithTheLastError() async throws {
        let calls = Log<Int>()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                calls.append(1)
                return TestGateway.json(.serviceUnavailable, #"{"error":{"grpc_code":14,"http_code":503,"message":"redis","http_status":"Service Unavailable"}}"#)
            }
        }) { url in
            let watcher = JobSetWatcher(client: testClient(url), queue: "q", jobSetId: "s",
                                        options: .init(initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2),
                                                       maxConsecutiveFailures: 4))
            let error = await #expect(throws: WatchFailed.self) { for try await _ in watcher {} }
            #expect(error?.attempts == 4 && error?.lastError.code == .unavailable)
        }
        #expect(calls.count == 4)
    }

    @Test func invalidArgumentIsFinalAndWatchFalseEndsAfterTheHistory() async throws {
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { request, context -> Response in
                if context.parameters.get("id") == "bad" {
                    return TestGateway.json(.badRequest, #"{"error":{"grpc_code":3,"http_code":400,"message":"bad id","http_status":"Bad Request"}}"#)
                }
                return TestGateway.json(.ok, eventLine(1) + eventLine(2))
            }
        }) { url in
            let client = testClient(url)
            let bad = JobSetWatcher(client: client, queue: "q", jobSetId: "bad", options: .init(initialBackoff: .milliseconds(1)))
            let error = await #expect(throws: ArmadaError.self) { for try await _ in bad {} }
            #expect(error?.code == .invalidArgument)
            var n = 0
            for try await _ in JobSetWatcher(client: client, queue: "q", jobSetId: "s", options: .init(watch: false)) { n += 1 }
            #expect(n == 2)
        }
    }
}
