import ArmadaAPI
import ArmadaClient
import Foundation
import Hummingbird
import Synchronization
import Testing

/// A `{"result": EventStreamMessage}` line for event `n` of job `job`.
func eventLine(_ n: Int, job: String = "01job", type: String = "queued") -> String {
    #"{"result":{"id":"1755781234567:\#(n):0:1","message":{"\#(type)":{"jobId":"\#(job)","jobSetId":"s","queue":"q","created":{"seconds":1755781234}}}}}"# + "\n"
}

@Suite struct StreamTests {
    @Test func eventsAreDecodedAsBytesArriveAcrossSplitChunksAndEndWithTheErrorChunk() async throws {
        let chunkGate = Gate()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                    let first = eventLine(1, type: "submitted")
                    let split = first.index(first.startIndex, offsetBy: 40)
                    try await writer.write(TestGateway.buffer(String(first[..<split])))
                    try await writer.write(TestGateway.buffer(String(first[split...]) + eventLine(2)))
                    await chunkGate.wait() // the client must have seen both events before the stream goes on
                    try await writer.write(TestGateway.buffer(eventLine(3, type: "leased")))
                    try await writer.write(TestGateway.buffer(#"{"error":{"grpc_code":14,"http_code":503,"message":"redis down","http_status":"Service Unavailable"}}"#))
                    try await writer.finish(nil)
                })
            }
        }) { url in
            var received: [String] = []
            let events = try await testClient(url).events(JobSetRequest(id: "s", queue: "q", watch: true))
            let error = await #expect(throws: ArmadaError.self) {
                for try await message in events {
                    received.append(message.id)
                    if received.count == 2 { chunkGate.open() }
                }
            }
            #expect(received == ["1755781234567:1:0:1", "1755781234567:2:0:1", "1755781234567:3:0:1"])
            #expect(error?.code == .unavailable && error?.httpStatus == 503 && error?.message == "redis down")
        }
    }

    @Test(.timeLimit(.minutes(2))) func aStreamWhoseConsumerFallsBehindIsClosedNotBuffered() async throws {
        let lines = 40_000
        let padding = String(repeating: "x", count: 900)
        let written = Gate()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody { writer in
                    var n = 1
                    while n <= lines {
                        var chunk = ""
                        for k in n..<min(n + 200, lines + 1) {
                            chunk += #"{"result":{"id":"1:\#(k):0:1","message":{"failed":{"jobId":"j","reason":"\#(padding)"}}}}"# + "\n"
                        }
                        n += 200
                        do {
                            try await writer.write(TestGateway.buffer(chunk))
                        } catch {
                            written.open() // the client closed the connection
                            throw error
                        }
                    }
                    written.open()
                    try await writer.finish(nil)
                })
            }
        }) { url in
            let transport = URLSessionTransport()
            let client = ArmadaRESTClient(baseURL: url, transport: transport)
            // The first read waits until the server has written everything it could: the client
            // must have closed the stream (its buffer limit) rather than hold 36 MB.
            var received = 0
            let error = await #expect(throws: ArmadaError.self) {
                for try await message in try await client.events(JobSetRequest(id: "s", queue: "q")) {
                    if received == 0 { await written.wait() }
                    #expect(message.id == "1:\(received + 1):0:1")
                    received += 1
                }
            }
            #expect(error?.consumerFellBehind == true)
            #expect(transport.overflows == 1)
            #expect(received > 1000 && received < lines, "\(received)")
        }
    }

    @Test func aBadLineEndsTheStreamAfterTheEventsBeforeItInTheSameChunk() async throws {
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                Response(status: .ok, body: ResponseBody { writer in
                    try await writer.write(TestGateway.buffer(eventLine(1) + eventLine(2) + "{not json\n" + eventLine(3)))
                    try await writer.finish(nil)
                })
            }
        }) { url in
            var ids: [String] = []
            let error = await #expect(throws: ArmadaError.self) {
                for try await m in try await testClient(url).events(JobSetRequest(id: "s", queue: "q")) { ids.append(m.id) }
            }
            #expect(ids == ["1755781234567:1:0:1", "1755781234567:2:0:1"])
            #expect(error?.kind == .decoding && error?.message.contains("{not json") == true)
        }
    }

    @Test func anErrorBeforeTheFirstEventCarriesItsStatus() async throws {
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                TestGateway.json(.notFound, #"{"error":{"grpc_code":5,"http_code":404,"message":"[GetJobSetEvents] Queue q does not exist","http_status":"Not Found"}}"#)
            }
        }) { url in
            let error = await #expect(throws: ArmadaError.self) {
                for try await _ in try await testClient(url).events(JobSetRequest(id: "s", queue: "q")) {}
            }
            #expect(error?.httpStatus == 404 && error?.code == .notFound && error?.queueNotFound == true)
        }
    }

    @Test func headersThatArriveOnlyWithTheFirstEventAreFine() async throws {
        let arrived = Gate(), release = Gate()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                arrived.open()
                await release.wait() // the gateway sends no status line until the first event
                return Response(status: .ok, body: ResponseBody { writer in
                    try await writer.write(TestGateway.buffer(eventLine(1)))
                    try await writer.finish(nil)
                })
            }
        }) { url in
            let events = try await testClient(url).events(JobSetRequest(id: "s", queue: "q", watch: true))
            let consumer = Task { () -> [String] in
                var ids: [String] = []
                for try await m in events { ids.append(m.id) }
                return ids
            }
            await arrived.wait()
            release.open()
            #expect(try await within(.seconds(10)) { try await consumer.value } == ["1755781234567:1:0:1"])
        }
    }

    @Test func aStreamCutInsideALineIsATransportError() async throws {
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                Response(status: .ok, body: ResponseBody { writer in
                    try await writer.write(TestGateway.buffer(eventLine(1) + String(eventLine(2).prefix(30))))
                    throw CancellationError() // the connection drops mid-line
                })
            }
        }) { url in
            var ids: [String] = []
            let error = await #expect(throws: ArmadaError.self) {
                for try await m in try await testClient(url).events(JobSetRequest(id: "s", queue: "q", watch: true)) { ids.append(m.id) }
            }
            #expect(ids == ["1755781234567:1:0:1"])
            #expect(error?.kind == .transport)
        }
    }

    @Test func cancellingTheConsumerClosesTheConnectionPromptly() async throws {
        let closed = Gate()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                Response(status: .ok, body: ResponseBody { writer in
                    var n = 0
                    do {
                        while true {
                            n += 1
                            try await writer.write(TestGateway.buffer(eventLine(n)))
                            try await Task.sleep(for: .milliseconds(10)) // a live job set producing events
                        }
                    } catch {
                        closed.open()
                        throw error
                    }
                })
            }
        }) { url in
            let events = try await testClient(url).events(JobSetRequest(id: "s", queue: "q", watch: true))
            let threeSeen = Gate()
            let consumer = Task {
                var count = 0
                for try await _ in events {
                    count += 1
                    if count == 3 { threeSeen.open() }
                }
            }
            await threeSeen.wait()
            consumer.cancel()
            // The server writes every 10 ms for ever, so no idle or keep-alive timeout can close the
            // connection: only the client's close after the cancel can (seen at the server's next
            // write). The bound only keeps a broken build from hanging; it is not a speed target.
            try await within(.seconds(60)) { await closed.wait() }
        }
    }

    @Test func manyConcurrentStreamsToOneHostAreNotQueued() async throws {
        let streams = 10
        let arrivals = Log<Int>()
        let allArrived = Gate()
        try await TestGateway.run({ router in
            router.post("/v1/job-set/{queue}/{id}") { _, _ -> Response in
                arrivals.append(1)
                if arrivals.count == streams { allArrived.open() }
                await allArrived.wait() // every stream must be open at once before any answers
                return Response(status: .ok, body: .init(byteBuffer: TestGateway.buffer(eventLine(1))))
            }
        }) { url in
            let client = testClient(url)
            try await within(.seconds(20)) {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for i in 0..<streams {
                        group.addTask {
                            var n = 0
                            for try await _ in try await client.events(JobSetRequest(id: "s\(i)", queue: "q")) { n += 1 }
                            return n
                        }
                    }
                    var total = 0
                    for try await n in group { total += n }
                    #expect(total == streams)
                }
            }
        }
    }
}
