import ArmadaAPI
import ArmadaClient
import Foundation
import Hummingbird
import RetryEngine
import Testing

@Suite struct UnaryCallTests {
    @Test func submitSendsTheGatewayBodyAndReadsJobIds() async throws {
        let bodies = Log<String>()
        try await TestGateway.run({ router in
            router.post("/v1/job/submit") { request, _ -> Response in
                bodies.append(try await TestGateway.bodyText(request))
                return TestGateway.json(.ok, #"{"jobResponseItems":[{"jobId":"01k3b6w6q2x0f7m9r8t5y4z3aa"},{"jobId":"01k3b6w6q2x0f7m9r8t5y4z3ab"}]}"#)
            }
        }) { url in
            let item = JobSubmitRequestItem(priority: 0, namespace: "personal-anonymous",
                                            podSpec: .object([.init("containers", .array([]))]))
            let response = try await testClient(url).submitJobs(JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: [item, item]))
            #expect(response.jobResponseItems.map(\.jobId) == ["01k3b6w6q2x0f7m9r8t5y4z3aa", "01k3b6w6q2x0f7m9r8t5y4z3ab"])
        }
        let sent = try JSONDecoder().decode(JSONValue.self, from: Data(try #require(bodies.all.first).utf8))
        #expect(sent["queue"] == .string("q") && sent["jobSetId"] == .string("s"))
        #expect(sent["jobRequestItems"]?.arrayValue?.count == 2)
        #expect(sent["jobRequestItems"]?.arrayValue?.first?["namespace"] == .string("personal-anonymous"))
    }

    @Test func validationErrorsAreTypedAndNeverRetried() async throws {
        let calls = Log<Int>()
        try await TestGateway.run({ router in
            router.post("/v1/job/cancel") { _, _ -> Response in
                calls.append(1)
                return TestGateway.json(.badRequest, #"{"error":"reason must be at most 50 bytes","code":3,"message":"reason must be at most 50 bytes"}"#)
            }
        }) { url in
            let error = await #expect(throws: ArmadaError.self) {
                _ = try await testClient(url).cancelJobs(JobCancelRequest(jobSetId: "s", queue: "q", reason: String(repeating: "x", count: 60)))
            }
            #expect(error?.kind == .server && error?.httpStatus == 400 && error?.code == .invalidArgument)
            #expect(error?.endpoint == "POST /v1/job/cancel")
            #expect(error?.message == "reason must be at most 50 bytes")
            #expect(error?.description == "POST /v1/job/cancel (HTTP 400, InvalidArgument): reason must be at most 50 bytes")
        }
        #expect(calls.count == 1)
    }

    @Test func queueNotVisibleYetIsRetriedForSubmitAndCancel() async throws {
        let submits = Log<Int>(), cancels = Log<Int>()
        try await TestGateway.run({ router in
            router.post("/v1/job/submit") { _, _ -> Response in
                submits.append(1)
                if submits.count <= 3 {
                    return TestGateway.json(.forbidden, #"{"error":"could not find queue \"q\"","code":7,"message":"could not find queue \"q\""}"#)
                }
                return TestGateway.json(.ok, #"{"jobResponseItems":[{"jobId":"a"}]}"#)
            }
            router.post("/v1/job/cancel") { _, _ -> Response in
                cancels.append(1)
                if cancels.count <= 2 {
                    return TestGateway.json(.internalServerError, #"{"error":"x","code":2,"message":"[x-request-id: \"abc\"] could not find queue q"}"#)
                }
                return TestGateway.json(.ok, #"{"cancelledIds":["a"]}"#)
            }
        }) { url in
            let client = testClient(url)
            let submitted = try await client.submitJobs(JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: []))
            #expect(submitted.jobResponseItems.map(\.jobId) == ["a"])
            #expect(try await client.cancelJobs(JobCancelRequest(jobSetId: "s", queue: "q", jobIds: ["a"])).cancelledIds == ["a"])
        }
        #expect(submits.count == 4 && cancels.count == 3)
    }

    @Test func unavailableIsRetriedWithinTheDeadlineOnly() async throws {
        let calls = Log<Int>()
        try await TestGateway.run({ router in
            router.get("/v1/queue/{name}") { _, context -> Response in
                calls.append(1)
                if context.parameters.get("name") == "flaky", calls.count <= 3 {
                    return TestGateway.json(.serviceUnavailable, #"{"error":"db down","code":14,"message":"db down"}"#)
                }
                if context.parameters.get("name") == "down" {
                    return TestGateway.json(.serviceUnavailable, #"{"error":"db down","code":14,"message":"db down"}"#)
                }
                return TestGateway.json(.ok, #"{"name":"flaky","priorityFactor":1}"#)
            }
        }) { url in
            let queue = try await testClient(url).getQueue("flaky")
            #expect(queue.priorityFactor == 1)
            #expect(calls.count == 4)
            let noTime = testClient(url, retry: RetrySchedule(deadline: .zero))
            let error = await #expect(throws: ArmadaError.self) { _ = try await noTime.getQueue("down") }
            #expect(error?.code == .unavailable)
            #expect(calls.count == 5)
        }
    }

    @Test func submitIsNotRetriedOnServerErrors() async throws {
        let calls = Log<Int>()
        try await TestGateway.run({ router in
            router.post("/v1/job/submit") { _, _ -> Response in
                calls.append(1)
                return TestGateway.json(.serviceUnavailable, #"{"error":"pulsar","code":14,"message":"pulsar"}"#)
            }
        }) { url in
            await #expect(throws: ArmadaError.self) {
                _ = try await testClient(url).submitJobs(JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: []))
            }
        }
        #expect(calls.count == 1)
    }

    @Test func queueAndRetryPolicyEndpoints() async throws {
        let seen = Log<String>()
        try await TestGateway.run({ router in
            router.put("/v1/queue/{name}") { request, context -> Response in
                seen.append("PUT \(request.uri.path) \(try await TestGateway.bodyText(request))")
                return TestGateway.json(.ok, "{}")
            }
            router.get("/v1/batched/queues") { request, _ -> Response in
                seen.append("GET queues num=\(request.uri.queryParameters.get("num") ?? "")")
                return TestGateway.json(.ok, #"{"result":{"Event":{"queue":{"name":"a","priorityFactor":1}}}}"# + "\n"
                    + #"{"result":{"Event":{"queue":{"name":"b","priorityFactor":2}}}}"# + "\n" + #"{"result":{"Event":{"end":{}}}}"# + "\n")
            }
            router.get("/v1/retry-policies") { _, _ -> Response in
                TestGateway.json(.ok, #"{"retryPolicies":[{"name":"p","retryLimit":2,"defaultAction":"Fail","rules":[{"action":"Retry","onCategory":"oom"}]}]}"#)
            }
            router.get("/v1/retry-policy/{name}") { _, _ -> Response in
                TestGateway.json(.notFound, #"{"error":"retry policy missing not found","code":5,"message":"retry policy missing not found"}"#)
            }
            router.post("/v1/queues/active") { _, _ -> Response in
                TestGateway.json(.ok, #"{"activeQueuesByPool":{"default":{"queues":["e2e-test-queue"]}}}"#)
            }
            router.delete("/v1/queue/{name}") { _, context -> Response in
                seen.append("DELETE \(context.parameters.get("name") ?? "")")
                return TestGateway.json(.ok, "{}")
            }
        }) { url in
            let client = testClient(url)
            try await client.updateQueue(Queue(name: "with space", priorityFactor: 2, retryPolicies: ["p"]))
            #expect(try await client.getQueues(limit: 10).map(\.name) == ["a", "b"])
            #expect(try await client.listRetryPolicies().first?.rules.first?.onCategory == "oom")
            let missing = await #expect(throws: ArmadaError.self) { _ = try await client.getRetryPolicy("missing") }
            #expect(missing?.code == .notFound && missing?.httpStatus == 404)
            #expect(try await client.activeQueues().activeQueuesByPool["default"]?.queues == ["e2e-test-queue"])
            try await client.deleteQueue("q1")
        }
        #expect(seen.all.first?.hasPrefix("PUT /v1/queue/with%20space {") == true)
        #expect(seen.all.first?.contains(#""retryPolicies":["p"]"#) == true)
        #expect(seen.all.dropFirst().first == "GET queues num=10")
        #expect(seen.all.last == "DELETE q1")
    }

    @Test func healthAcceptsNoContentAndExplainsFailures() async throws {
        let healthy = Mutex(true)
        try await TestGateway.run({ router in
            router.get("/health") { _, _ -> Response in
                healthy.withLock { $0 } ? Response(status: .noContent)
                    : Response(status: .serviceUnavailable, body: .init(byteBuffer: TestGateway.buffer("startup checks pending\n")))
            }
        }) { url in
            let client = testClient(url)
            try await client.health()
            healthy.withLock { $0 = false }
            let error = await #expect(throws: ArmadaError.self) { try await client.health() }
            #expect(error?.httpStatus == 503)
            #expect(error?.message == "\(url.absoluteString)/health is unhealthy: startup checks pending")
        }
        let refused = await #expect(throws: ArmadaError.self) {
            try await testClient(URL(string: "http://127.0.0.1:9")!).health()
        }
        #expect(refused?.kind == .transport && refused?.message.contains("127.0.0.1:9/health is unreachable") == true)
    }
}

import Synchronization
