import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import RetryEngine
import Testing

/// The rest of lifecycle §4 and §4.17: image pulls, evictions, deadlines, lease returns,
/// unschedulable jobs, no-op actions, duplicates, gang skip and avoidSameNode.
@Suite struct SimEdgeScenarioTests {
    func forced(_ outcomes: String, duration: String? = nil) -> JobSubmitRequestItem {
        var annotations = [ModelRuntime.outcomesAnnotation: outcomes]
        if let duration { annotations[ModelRuntime.durationAnnotation] = duration }
        return SimHarness.job(["ls"], annotations: annotations)
    }

    @Test func imagePullEvictionAndDeadline() async throws {
        try await SimHarness.run { client, _ in
            var pull = SimHarness.job(["ls"])
            pull.podSpec = SimHarness.pod(["ls"]).replacingImage("some-non-existing-image:1.2.3")
            var deadline = SimHarness.job(["sleep", "5"], extra: [.init("activeDeadlineSeconds", .number("0.01"))])
            deadline.labels = ["case": "deadline"]
            var evict = forced("evict")
            evict.labels = ["case": "evict"]
            pull.labels = ["case": "pull"]
            let events = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [pull, deadline, evict])
            for e in events.values {
                let last = try #require(e.last)
                switch e[0].job?.labels["case"] {
                case "pull":
                    #expect(e.sequence == "submitted queued leased pending failed")
                    #expect(last.reason.hasPrefix("Unable to start pod - encountered an unrecoverable problem.\nMatched check: \"check-0\"\n"))
                    #expect(last.containerStatuses.isEmpty && last.failureCategory == "uncategorized")
                case "deadline":
                    #expect(last.cause == .deadlineExceeded && last.reason == "Pod was active on the node longer than the specified deadline")
                default:
                    #expect(last.cause == .evicted && last.reason == "The node was low on resource: memory.")
                }
            }
        }
    }

    @Test func leaseReturnsRequeueThenExhaustAttempts() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.maxRetries = 1 // maxAttemptedRuns = 2
        try await SimHarness.run(config) { client, _ in
            let once = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [forced("lease-return:attempted,exit:0")]).values.first)
            #expect(once.sequence == "submitted queued leased pending leaseReturned leased pending running succeeded")
            #expect(once.first { $0.type == .leaseReturned }?.runAttempted == true)
            let never = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [forced("lease-return:attempted")]).values.first)
            #expect(never.sequence == "submitted queued leased pending leaseReturned leased pending leaseReturned failed")
            #expect(never.last?.reason.hasPrefix("Maximum number of attempts (2) reached - this job will no longer be retried\n\nFinal run error:\nUnable to start pod.") == true)
            #expect(never.last?.failureSubcategory == "max-runs-exceeded")
        }
    }

    @Test func anExplicitLeaseReturnedRuleRetriesThroughTheEngine() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.retryPolicies.append(RetryPolicy(name: "returns", retryLimit: 0, defaultAction: .fail, rules: [
            RetryRule(action: .retry, onConditions: ["LeaseReturned"]),
        ]))
        config.queues.append(Queue(name: "returns-q", priorityFactor: 1, retryPolicies: ["returns"]))
        try await SimHarness.run(config) { client, _ in
            // retryLimit 0, yet the retry is granted: lease returns never use the budget.
            let e = try #require(try await SimHarness.runToEnd(client, queue: "returns-q", items: [forced("lease-return:attempted,exit:0")]).values.first)
            #expect(e.sequence == "submitted queued leased pending leaseReturned failed(retryable) leased pending running succeeded")
        }
    }

    @Test func unschedulableJobsAreRejected() async throws {
        try await SimHarness.run { client, _ in
            let e = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [SimHarness.job(["ls"], memory: "1Ti")]).values.first)
            #expect(e.sequence == "submitted queued failed")
            #expect(e.last?.cause == .rejected && e.last?.failureCategory == "internal" && e.last?.failureSubcategory == "job-rejected")
            #expect(e.last?.reason.hasPrefix("pool default:\n") == true)
        }
    }

    @Test func noOpActionsDuplicatesAndJobSetReprioritize() async throws {
        try await SimHarness.run { client, _ in
            let set = "noop"
            let item = SimHarness.job(["sleep", "600"]) // armada-default: not preemptible
            var dup = item
            dup.clientId = "same"
            let first = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set, jobRequestItems: [item, dup]))
            let again = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set, jobRequestItems: [dup]))
            #expect(again.jobResponseItems[0].jobId == first.jobResponseItems[1].jobId)
            let ids = first.jobResponseItems.map(\.jobId)
            var seen: [String: [String]] = [:]
            var acted = false
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: set) {
                seen[m.message.jobId, default: []].append(m.message.type!.rawValue)
                if !acted, ids.allSatisfy({ seen[$0]?.contains("running") == true }) {
                    acted = true
                    _ = try await client.preemptJobs(JobPreemptRequest(queue: "e2e-test-queue", jobSetId: set, jobIds: ids))
                    _ = try await client.reprioritizeJobs(JobReprioritizeRequest(jobSetId: set, queue: "e2e-test-queue", newPriority: 3))
                }
                if ids.allSatisfy({ seen[$0]?.contains("reprioritized") == true }) { break }
            }
            for id in ids {
                #expect(seen[id] == ["submitted", "queued", "leased", "pending", "running", "preempting", "reprioritized"])
            }
            try await client.cancelJobSet(JobSetCancelRequest(jobSetId: set, queue: "e2e-test-queue"))
        }
    }

    @Test func gangsSkipTheEngineAndAvoidSameNodeMovesTheRetry() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.retryPolicies.append(RetryPolicy(name: "avoid", retryLimit: 3, defaultAction: .fail, rules: [
            RetryRule(action: .retry, onExitCodes: .init(operator: .in, values: [1]), mutate: RetryMutation(affinity: .init(avoidSameNode: true))),
        ]))
        config.queues.append(Queue(name: "avoid-q", priorityFactor: 1, retryPolicies: ["avoid"]))
        try await SimHarness.run(config) { client, _ in
            let gang = SimHarness.job(["false"], annotations: ["armadaproject.io/gangId": "g", "armadaproject.io/gangCardinality": "2"])
            for e in try await SimHarness.runToEnd(client, queue: "e2e-retry-queue", items: [gang, gang]).values {
                #expect(e.filter { $0.retryable }.isEmpty)
                #expect(e.last?.reason == "Container main failed with exit code 1 because Error: \n")
            }
            // Two untainted nodes: the retry runs on the other one, the third attempt has no untried node.
            let e = try #require(try await SimHarness.runToEnd(client, queue: "avoid-q", items: [SimHarness.job(["false"])]).values.first)
            let nodes = e.filter { $0.type == .running }.map(\.nodeName)
            #expect(nodes.count == 2 && Set(nodes).count == 2)
            #expect(e.last?.reason.hasPrefix("Retry policy: retry granted, but no untried node fits the job") == true)
        }
    }

    @Test func leaseExpiryDeclinedByThePolicy() async throws {
        try await SimHarness.run { client, _ in
            _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-retry-queue", jobSetId: "decline", jobRequestItems: [SimHarness.job(["sleep", "600"])]))
            var seen: [EventMessage] = []
            for try await m in JobSetWatcher(client: client, queue: "e2e-retry-queue", jobSetId: "decline") {
                seen.append(m.message)
                if m.message.type == .running {
                    let url = URL(string: client.baseURL.absoluteString + "/_sim/expire-lease/\(m.message.jobId)")!
                    _ = try await client.transport.send(TransportRequest(method: "POST", url: url, timeout: .seconds(5)))
                }
                if m.message.isTerminal { break }
            }
            // e2e-retry-policy retries user_error and oom only: the default action declines.
            #expect(!seen.contains { $0.type == .leaseExpired })
            #expect(seen.last?.reason == "Lease expired and not retried by policy: no rule matched, using default action")
        }
    }
}

extension JSONValue {
    func replacingImage(_ image: String) -> JSONValue {
        guard case .object(var members) = self, let i = members.firstIndex(where: { $0.key == "containers" }),
              case .array(var containers) = members[i].value, case .object(var c) = containers[0] else { return self }
        if let j = c.firstIndex(where: { $0.key == "image" }) { c[j].value = .string(image) }
        containers[0] = .object(c)
        members[i].value = .array(containers)
        return .object(members)
    }
}
