import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// Requests and answers on the wire, as literal JSON.
@Suite struct EndpointTests {
    struct Raw {
        var status: Int
        var body: String
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }
    }

    func send(_ client: ArmadaRESTClient, _ method: String, _ path: String, _ body: String? = nil) async throws -> Raw {
        let url = URL(string: client.baseURL.absoluteString + path)!
        let r = try await client.transport.send(TransportRequest(method: method, url: url, headers: ["Content-Type": "application/json"],
                                                                 body: body.map { Array($0.utf8) }, timeout: .seconds(10)))
        return Raw(status: r.status, body: String(decoding: r.body, as: UTF8.self))
    }

    func json(_ text: String) -> JSONValue { try! JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test func submitValidationAndResponses() async throws {
        try await SimHarness.run { client, _ in
            let pod = #"{"containers":[{"name":"c","image":"alpine","args":["ls"],"resources":{"requests":{"cpu":"100m","memory":"25Mi"},"limits":{"cpu":"100m","memory":"25Mi"}}}]}"#
            let ok = try await send(client, "POST", "/v1/job/submit",
                                    #"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"namespace":"default","clientId":"c1","podSpec":\#(pod)}]}"#)
            #expect(ok.status == 200)
            let id = try #require(ok.json?["jobResponseItems"]?.arrayValue?.first?["jobId"]?.stringValue)
            #expect(id.count == 26 && id == id.lowercased())
            // The same client id in the same queue: the original id again.
            let dup = try await send(client, "POST", "/v1/job/submit",
                                     #"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"namespace":"default","clientId":"c1","podSpec":\#(pod)}]}"#)
            #expect(dup.json?["jobResponseItems"]?.arrayValue?.first?["jobId"]?.stringValue == id)
            let cases: [(String, Int, String)] = [
                (#"{"jobSetId":"s","jobRequestItems":[]}"#, 400, "queue is a required field"),
                (#"{"queue":"e2e-test-queue","jobRequestItems":[]}"#, 400, "job set id is a required field"),
                (#"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"podSpec":\#(pod)}]}"#, 400, "namespace is a required field"),
                (#"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"namespace":"d"}]}"#, 400, "Job must contain at least one PodSpec"),
                (#"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"namespace":"d","podSpecs":[\#(pod),\#(pod)]}]}"#, 400, "Jobs with multiple pods are not supported"),
                (#"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"namespace":"d","podSpec":{"containers":[{"name":"c","image":"a"}]}}]}"#, 400, "container c has no resources specified"),
                (#"{"queue":"e2e-test-queue","jobSetId":"s","jobRequestItems":[{"namespace":"d","podSpec":{"containers":[{"name":"c","image":"a","resources":{"requests":{"cpu":"1"},"limits":{"cpu":"2"}}}]}}]}"#, 400, "container c defines different resources for requests and limits"),
                (#"{"queue":"nope","jobSetId":"s","jobRequestItems":[]}"#, 403, #"could not find queue "nope""#),
            ]
            for (body, status, message) in cases {
                let r = try await send(client, "POST", "/v1/job/submit", body)
                #expect(r.status == status, "\(body)")
                #expect(r.json?["message"]?.stringValue == message && r.json?["error"]?.stringValue == message)
                #expect(r.json?["code"] == .number(status == 403 ? "7" : "3"))
            }
        }
    }

    @Test func cancelRulesAndEmptyBodies() async throws {
        try await SimHarness.run { client, _ in
            let long = String(repeating: "x", count: 51)
            let tooLong = try await send(client, "POST", "/v1/job/cancel", #"{"queue":"e2e-test-queue","jobSetId":"s","jobIds":["a"],"reason":"\#(long)"}"#)
            #expect(tooLong.status == 400 && tooLong.json?["code"] == .number("3"))
            let missingQueue = try await send(client, "POST", "/v1/job/cancel", #"{"queue":"nope","jobSetId":"s","jobIds":["a"]}"#)
            #expect(missingQueue.status == 500 && missingQueue.json?["code"] == .number("2"))
            let setCancel = try await send(client, "POST", "/v1/job/cancel", #"{"queue":"e2e-test-queue","jobSetId":"s"}"#)
            #expect(setCancel.body == #"{"cancelledIds":[""]}"#)
            let badFilter = try await send(client, "POST", "/v1/jobset/cancel", #"{"queue":"e2e-test-queue","jobSetId":"s","filter":{"states":["PENDING"]}}"#)
            #expect(badFilter.status == 500)
            #expect(try await send(client, "POST", "/v1/jobset/cancel", #"{"queue":"e2e-test-queue","jobSetId":"s","filter":{"states":["QUEUED",1,2]}}"#).body == "{}")
            let reprio = try await send(client, "POST", "/v1/job/reprioritize", #"{"queue":"e2e-test-queue","jobSetId":"s","newPriority":2}"#)
            #expect(reprio.json == json(#"{"reprioritizationResults":{"all jobs in job set s":""}}"#))
            #expect(try await send(client, "POST", "/v1/job/status", #"{"jobIds":["x"]}"#).json == json(#"{"jobStates":{"x":5}}"#))
            #expect(try await send(client, "POST", "/v1/queues/active", "{}").body == "{}")
        }
    }

    @Test func queuesAndRetryPolicies() async throws {
        try await SimHarness.run { client, _ in
            #expect(try await send(client, "POST", "/v1/queue", #"{"name":"q1","priorityFactor":0.5}"#).status == 400)
            #expect(try await send(client, "POST", "/v1/queue", #"{"name":"q1","priorityFactor":1,"retryPolicies":["missing"]}"#).json?["message"]
                == .string(#"retry policies do not exist: "missing""#))
            #expect(try await send(client, "POST", "/v1/queue", #"{"name":"q1","priorityFactor":2,"userOwners":["alice"],"labels":{"a":"b"}}"#).body == "{}")
            let got = try await send(client, "GET", "/v1/queue/q1")
            #expect(got.json == json(#"{"name":"q1","priorityFactor":2,"permissions":[{"subjects":[{"kind":"User","name":"alice"}],"verbs":["submit","cancel","preempt","reprioritize","watch"]}],"labels":{"a":"b"}}"#))
            #expect(try await send(client, "GET", "/v1/queue/none").status == 404)
            let batch = try await send(client, "POST", "/v1/batched/create_queues", #"{"queues":[{"name":"b1","priorityFactor":1},{"name":"b2"}]}"#)
            #expect(batch.status == 200 && batch.json?["failedQueues"]?.arrayValue?.count == 1)
            let stream = try await send(client, "GET", "/v1/batched/queues?num=2")
            #expect(stream.body.split(separator: "\n").count == 3 && stream.body.hasSuffix(#"{"result":{"Event":{"end":{}}}}"# + "\n"))
            #expect(try await send(client, "DELETE", "/v1/queue/b1").body == "{}")
            #expect(try await send(client, "DELETE", "/v1/queue/b1").body == "{}") // idempotent
            // Retry policies: upsert, update of a missing one 404, delete detaches.
            #expect(try await send(client, "POST", "/v1/retry-policy", #"{"name":"Bad_Name","defaultAction":"Fail"}"#).status == 400)
            #expect(try await send(client, "PUT", "/v1/retry-policy/nope", #"{"defaultAction":"Fail"}"#).status == 404)
            #expect(try await send(client, "POST", "/v1/retry-policy", #"{"name":"p","retryLimit":1,"defaultAction":"retry"}"#).body == "{}")
            #expect(try await send(client, "GET", "/v1/retry-policy/p").json == json(#"{"name":"p","retryLimit":1,"defaultAction":"Retry"}"#))
            #expect(try await send(client, "POST", "/v1/queue", #"{"name":"q2","priorityFactor":1,"retryPolicies":["p"]}"#).body == "{}")
            #expect(try await send(client, "DELETE", "/v1/retry-policy/p").body == "{}")
            #expect(try await send(client, "GET", "/v1/queue/q2").json?["retryPolicies"] == nil)
            #expect(try await send(client, "DELETE", "/v1/retry-policy/p").body == "{}")
        }
    }

    @Test func routingErrorsHealthAndStreamErrors() async throws {
        try await SimHarness.run { client, _ in
            let node = try await send(client, "POST", "/v1/node/cancel/n1", #"{"executor":"e"}"#)
            #expect(node.status == 404 && node.body == "Not Found\n")
            #expect(try await send(client, "GET", "/health").status == 204)
            #expect(try await send(client, "HEAD", "/health").status == 204)
            // A known path with a method it does not serve: 405, plain text; an unknown path stays 404.
            for (method, path) in [("GET", "/v1/job/submit"), ("DELETE", "/v1/queue"), ("POST", "/v1/queue/q"), ("PATCH", "/v1/retry-policy/p"),
                                   ("POST", "/health"), ("GET", "/v1/job-set/q/s")] {
                let wrong = try await send(client, method, path)
                #expect(wrong.status == 405 && wrong.body == "Method Not Allowed\n", "\(method) \(path): \(wrong)")
            }
            #expect(try await send(client, "GET", "/v1/nothing").status == 404)
            let missing = try await send(client, "POST", "/v1/job-set/nope/s", "{}")
            #expect(missing.status == 404)
            #expect(missing.json == json(#"{"error":{"grpc_code":5,"http_code":404,"message":"[GetJobSetEvents] Queue nope does not exist","http_status":"Not Found"}}"#))
            let strict = try await send(client, "POST", "/v1/job-set/e2e-test-queue/none", #"{"errorIfMissing":true}"#)
            #expect(strict.json?["error"]?["message"] == .string("[GetJobSetEvents] Jobset none for queue e2e-test-queue does not exist"))
            let badId = try await send(client, "POST", "/v1/job-set/e2e-test-queue/none", #"{"fromMessageId":"banana"}"#)
            #expect(badId.status == 500)
            #expect(try await send(client, "POST", "/v1/job-set/e2e-test-queue/none", "").body == "")
        }
    }

    @Test func twentyConcurrentWatchersSeeIdenticalSequences() async throws {
        try await SimHarness.run { client, _ in
            let set = "shared"
            let ids = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set,
                                                                   jobRequestItems: Array(repeating: SimHarness.job(["sh", "-c", "sleep 0.01"]), count: 5)))
                .jobResponseItems.map(\.jobId)
            let sequences = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        var seen: [String] = []
                        var done = Set<String>()
                        for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: set) {
                            seen.append(m.id)
                            if m.message.isTerminal { done.insert(m.message.jobId) }
                            if done.count == ids.count { break }
                        }
                        return seen
                    }
                }
                var all: [[String]] = []
                for try await s in group { all.append(s) }
                return all
            }
            #expect(sequences.count == 20)
            #expect(Set(sequences).count == 1)
            #expect(sequences[0].count == 5 * 6)
        }
    }
}
