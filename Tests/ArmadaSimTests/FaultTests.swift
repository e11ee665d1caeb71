import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import RetryEngine
import Testing

@Suite struct FaultTests {
    func put(_ client: ArmadaRESTClient, _ path: String, _ body: String, method: String = "PUT") async throws -> Int {
        let url = URL(string: client.baseURL.absoluteString + path)!
        return try await client.transport.send(TransportRequest(method: method, url: url, body: Array(body.utf8), timeout: .seconds(5))).status
    }

    @Test func cutStreamsAreResumedByTheWatcher() async throws {
        try await SimHarness.run { client, _ in
            #expect(try await put(client, "/_sim/faults", #"{"cutStreamsAfter":2}"#) == 200)
            let (ids, reconnects) = try await SimHarness.watchThroughCuts(client, jobSet: "cut")
            #expect(ids.count == 18 && Set(ids).count == 18)
            #expect(reconnects >= 8)
        }
    }

    @Test func failureRateAndHiddenQueues() async throws {
        try await SimHarness.run { client, _ in
            #expect(try await put(client, "/_sim/faults", #"{"failureRate":1}"#) == 200)
            let noRetry = ArmadaRESTClient(baseURL: client.baseURL, retry: .none)
            let error = await #expect(throws: ArmadaError.self) { _ = try await noRetry.getQueue("e2e-test-queue") }
            #expect(error?.code == .unavailable && error?.httpStatus == 503)
            // 4 s: long enough for the early submit below on a loaded machine.
            #expect(try await put(client, "/_sim/faults", #"{"hideNewQueuesFor":4}"#) == 200)
            try await client.createQueue(Queue(name: "fresh", priorityFactor: 1))
            #expect(try await client.getQueue("fresh").name == "fresh") // the database has it at once
            let early = await #expect(throws: ArmadaError.self) {
                _ = try await noRetry.submitJobs(JobSubmitRequest(queue: "fresh", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            }
            #expect(early?.httpStatus == 403 && early?.queueNotFound == true)
            // The client rides out the cache lag.
            let patient = ArmadaRESTClient(baseURL: client.baseURL, retry: RetrySchedule(initialDelay: .milliseconds(20), maxDelay: .milliseconds(200),
                                                                                        deadline: .seconds(30)))
            let ok = try await patient.submitJobs(JobSubmitRequest(queue: "fresh", jobSetId: "s", jobRequestItems: [SimHarness.job(["ls"])]))
            #expect(ok.jobResponseItems.count == 1)
        }
    }

    @Test func leaseExpiryLegacyAndRetriedByPolicy() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.retryPolicies.append(RetryPolicy(name: "expiry", retryLimit: 2, defaultAction: .fail, rules: [
            RetryRule(action: .retry, onCategory: "internal", onSubcategory: "lease-expired"),
        ]))
        config.queues.append(Queue(name: "expiry-q", priorityFactor: 1, retryPolicies: ["expiry"]))
        try await SimHarness.run(config) { client, _ in
            for queue in ["e2e-test-queue", "expiry-q"] {
                let set = "expire-\(queue)"
                _ = try await client.submitJobs(JobSubmitRequest(queue: queue, jobSetId: set, jobRequestItems: [
                    SimHarness.job(["sh", "-c", #"if [ "$HOSTNAME" = "never" ]; then exit 0; fi; sleep 600"#]),
                ]))
                var seen: [EventMessage] = []
                var expiredOnce = false
                for try await m in JobSetWatcher(client: client, queue: queue, jobSetId: set) {
                    seen.append(m.message)
                    if m.message.type == .running, !expiredOnce {
                        expiredOnce = true
                        #expect(try await put(client, "/_sim/expire-lease/\(m.message.jobId)", "", method: "POST") == 200)
                    }
                    if m.message.isTerminal || (queue == "expiry-q" && seen.filter({ $0.type == .running }).count == 2) { break }
                }
                let failed = try #require(seen.first { $0.type == .failed })
                #expect(failed.reason == "Lease expired" && failed.failureCategory == "internal" && failed.failureSubcategory == "lease-expired")
                #expect(seen.contains { $0.type == .leaseExpired })
                #expect(failed.retryable == (queue == "expiry-q"))
                if failed.retryable { try await client.cancelJobSet(JobSetCancelRequest(jobSetId: set, queue: queue)) }
            }
        }
    }
}
