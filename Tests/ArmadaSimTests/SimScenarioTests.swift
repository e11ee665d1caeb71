import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import RetryEngine
import Testing

/// Event sequences of lifecycle §4 on the model runtime, with short step times (runs are tasks)
/// and, where parametrised, zero step times (runs complete inline in the scheduler cycle).
@Suite struct SimScenarioTests {
    @Test(arguments: SimHarness.timings) func successfulJob(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            let events = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [SimHarness.job(["ls"])])
            let e = try #require(events.values.first)
            #expect(e.sequence == "submitted queued leased pending running succeeded")
            #expect(e[0].job?.namespace == "default" && e[0].job?.owner == "anonymous" && e[0].created == e[1].created)
            #expect(e[2].clusterId == "local-cluster" && e[2].pool == "default")
            #expect(e[3].podName == "armada-\(e[0].jobId)-0-0" && e[3].nodeName.isEmpty && !e[3].kubernetesId.isEmpty)
            #expect(!e[4].nodeName.isEmpty)
            #expect(e[5].podName.isEmpty && e[5].clusterId.isEmpty)
        }
    }

    @Test(arguments: SimHarness.timings) func nonZeroExitIsCategorised(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            let events = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [SimHarness.job(["sh", "-c", "exit 1"], namespace: "personal-anonymous")])
            let failed = try #require(events.values.first?.last)
            #expect(failed.type == .failed && !failed.retryable)
            #expect(failed.reason == "Container main failed with exit code 1 because Error: \n")
            #expect(failed.containerStatuses == [ContainerStatus(name: "main", exitCode: 1, reason: "Error")])
            #expect(failed.failureCategory == "user_error" && failed.cause == .error)
            #expect(!failed.podName.isEmpty && !failed.nodeName.isEmpty)
        }
    }

    @Test(arguments: SimHarness.timings) func startErrorOomAndFatalNamespace(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            var start = SimHarness.job([])
            start.podSpec = SimHarness.pod([], container: [.init("args", .array([.string("exit"), .string("1")]))])
            let events = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [
                start, SimHarness.job(["sh", "-c", "tail /dev/zero"]), SimHarness.job(["ls"], namespace: "invalid-namespace"),
            ])
            let byCommand = events.values.map { $0 }.sorted { $0[0].job!.podSpec!.jsonText < $1[0].job!.podSpec!.jsonText }
            for e in byCommand {
                let spec = e[0].job?.podSpec?.jsonText ?? ""
                let last = try #require(e.last)
                if spec.contains("exit") && spec.contains("args") {
                    #expect(e.sequence == "submitted queued leased pending failed")
                    #expect(last.containerStatuses.first?.exitCode == 128 && last.containerStatuses.first?.reason == "StartError")
                    #expect(last.failureCategory == "uncategorized")
                } else if spec.contains("tail") {
                    #expect(last.cause == .oom && last.failureCategory == "oom" && last.containerStatuses.first?.exitCode == 137)
                    #expect(last.reason == "Container main failed with exit code 137 because OOMKilled: \n")
                } else {
                    #expect(e.sequence == "submitted queued leased failed")
                    #expect(last.reason == "namespaces \"invalid-namespace\" not found" && last.kubernetesId.isEmpty && last.failureCategory.isEmpty)
                }
            }
        }
    }

    @Test(arguments: SimHarness.timings) func seedSinglePodRetryOnTheModelRuntime(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            try await client.createRetryPolicy(RetryPolicy(name: "single-pod-retry", retryLimit: 2, defaultAction: .fail,
                                                           rules: [RetryRule(action: .retry, onConditions: ["AppError"])]))
            try await client.createQueue(Queue(name: "retry-q", priorityFactor: 1, retryPolicies: ["single-pod-retry"]))
            let volume: JSONValue.Member = .init("volumes", .array([.object([
                .init("name", .string("podinfo")),
                .init("downwardAPI", .object([.init("items", .array([.object([
                    .init("path", .string("run_index")),
                    .init("fieldRef", .object([.init("fieldPath", .string("metadata.labels['armada_job_run_index']"))])),
                ])]))])),
            ])]))
            let mount: JSONValue.Member = .init("volumeMounts", .array([.object([.init("name", .string("podinfo")), .init("mountPath", .string("/podinfo"))])]))
            let item = SimHarness.job(["sh", "-c", #"if [ "$(cat /podinfo/run_index)" = "0" ]; then exit 1; fi; exit 0"#], extra: [volume], container: [mount])
            let events = try await SimHarness.runToEnd(client, queue: "retry-q", items: [item])
            let e = try #require(events.values.first)
            #expect(e.sequence == "submitted queued leased pending running failed(retryable) leased pending running succeeded")
            let retried = e.filter { $0.type == .pending }.map(\.podName)
            #expect(retried == ["armada-\(e[0].jobId)-0-0", "armada-\(e[0].jobId)-0-1"])
        }
    }

    @Test(arguments: SimHarness.timings) func retryLimitExceededWithTheFinalRunError(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            let events = try await SimHarness.runToEnd(client, queue: "e2e-retry-queue", items: [SimHarness.job(["sh", "-c", "exit 1"], memory: "25Mi")])
            let e = try #require(events.values.first)
            #expect(e.filter { $0.type == .failed }.map(\.retryable) == [true, true, false])
            let last = try #require(e.last)
            #expect(last.reason == "Retry policy: policy retry limit exceeded (2/2)\n\nFinal run error:\nContainer main failed with exit code 1 because Error: \n\nmain exited with code 1: ")
            #expect(last.failureCategory == "user_error" && last.podName.isEmpty && last.containerStatuses.isEmpty)
        }
    }

    @Test(arguments: SimHarness.timings) func defaultActionAndFailFast(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            let events = try await SimHarness.runToEnd(client, queue: "e2e-retry-queue", items: [
                SimHarness.job(["sh", "-c", "exit 3"]),
                SimHarness.job(["sh", "-c", "exit 1"], annotations: ["armadaproject.io/failFast": "true"]),
            ])
            for e in events.values {
                let last = try #require(e.last)
                #expect(e.filter { $0.retryable }.isEmpty)
                if last.failureCategory == "uncategorized" {
                    #expect(last.reason.hasPrefix("Retry policy: no rule matched, using default action\n\nFinal run error:\n"))
                } else {
                    #expect(last.failureCategory == "user_error" && last.reason == "Container main failed with exit code 1 because Error: \n")
                }
            }
        }
    }

    @Test(arguments: SimHarness.timings) func oomMemoryBumpSucceedsOnTheRetry(timings: SimConfig.Timings) async throws {
        try await SimHarness.run(SimConfig(timings: timings)) { client, _ in
            let item = SimHarness.job(["sh", "-c", "sleep 0.01; dd if=/dev/zero of=/dev/shm/fill bs=1M count=56"], memory: "40Mi")
            let e = try #require(try await SimHarness.runToEnd(client, queue: "e2e-retry-queue", items: [item]).values.first)
            #expect(e.sequence == "submitted queued leased pending running failed(retryable) leased pending running succeeded")
            #expect(e.first { $0.type == .failed }?.failureCategory == "oom")
        }
    }

    @Test func memoryBumpThatFitsNoNodeIsTerminal() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.retryPolicies.append(RetryPolicy(name: "huge", retryLimit: 2, defaultAction: .fail, rules: [
            RetryRule(action: .retry, onExitCodes: .init(operator: .in, values: [75]),
                      mutate: RetryMutation(resources: .init(memory: .init(static: "1Ti")))),
        ]))
        config.queues.append(Queue(name: "huge-q", priorityFactor: 1, retryPolicies: ["huge"]))
        try await SimHarness.run(config) { client, _ in
            let e = try #require(try await SimHarness.runToEnd(client, queue: "huge-q", items: [SimHarness.job(["sh", "-c", "exit 75"])]).values.first)
            #expect(e.last?.reason.hasPrefix("Retry policy: retry granted, but the job grown by the rule's memory bump fits no node") == true)
            #expect(e.filter { $0.type == .failed }.count == 1)
        }
    }

    @Test func globalCapAndKillSwitch() async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.globalMaxRetries = 3
        config.retryPolicies.append(RetryPolicy(name: "ten", retryLimit: 10, defaultAction: .retry))
        config.queues.append(Queue(name: "ten-q", priorityFactor: 1, retryPolicies: ["ten"]))
        try await SimHarness.run(config) { client, _ in
            let e = try #require(try await SimHarness.runToEnd(client, queue: "ten-q", items: [SimHarness.job(["false"])]).values.first)
            #expect(e.filter { $0.type == .failed }.map(\.retryable) == [true, true, true, false])
            #expect(e.last?.reason.hasPrefix("Retry policy: global max retries exceeded (3/3)") == true)
        }
        config.globalMaxRetries = 0
        try await SimHarness.run(config) { client, _ in
            let e = try #require(try await SimHarness.runToEnd(client, queue: "ten-q", items: [SimHarness.job(["false"])]).values.first)
            #expect(e.last?.reason.hasPrefix("Retry policy: global max retries is 0, retries disabled") == true)
        }
    }

    @Test func cancelByIdsAndByJobSet() async throws {
        try await SimHarness.run { client, _ in
            let set = "cancel-set"
            let submitted = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set, jobRequestItems: [
                SimHarness.job(["sleep", "600"]), SimHarness.job(["sleep", "600"]),
            ]))
            let ids = submitted.jobResponseItems.map(\.jobId)
            var events: [String: [String]] = [:]
            var cancelledById = false, cancelledSet = false
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: set) {
                events[m.message.jobId, default: []].append(m.message.type!.rawValue)
                if m.message.type == .running, m.message.jobId == ids[0], !cancelledById {
                    cancelledById = true
                    _ = try await client.cancelJobs(JobCancelRequest(jobSetId: set, queue: "e2e-test-queue", jobIds: [ids[0]], reason: "r"))
                }
                if m.message.type == .cancelled, m.message.jobId == ids[0], !cancelledSet {
                    cancelledSet = true
                    try await client.cancelJobSet(JobSetCancelRequest(jobSetId: set, queue: "e2e-test-queue"))
                }
                if events.values.filter({ $0.last == "cancelled" }).count == 2 { break }
            }
            #expect(events[ids[0]]?.suffix(2) == ["cancelling", "cancelled"])
            #expect(events[ids[1]]?.suffix(2) == ["cancelling", "cancelled"])
            // A job set with no active jobs: a no-op that succeeds.
            try await client.cancelJobSet(JobSetCancelRequest(jobSetId: set, queue: "e2e-test-queue"))
        }
    }

    @Test func preemptAndReprioritize() async throws {
        try await SimHarness.run { client, _ in
            let set = "preempt-set"
            let item = SimHarness.job(["sleep", "600"], extra: [.init("priorityClassName", .string("armada-preemptible"))])
            let id = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set, jobRequestItems: [item])).jobResponseItems[0].jobId
            var seen: [EventMessage] = []
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: set) {
                seen.append(m.message)
                if m.message.type == .running {
                    _ = try await client.reprioritizeJobs(JobReprioritizeRequest(jobIds: [id], jobSetId: set, queue: "e2e-test-queue", newPriority: 5))
                }
                if m.message.type == .reprioritized {
                    _ = try await client.preemptJobs(JobPreemptRequest(queue: "e2e-test-queue", jobSetId: set, jobIds: [id], reason: "e2e"))
                }
                if m.message.isTerminal { break }
            }
            #expect(seen.sequence == "submitted queued leased pending running reprioritizing reprioritized preempting preempted failed")
            #expect(seen.first { $0.type == .reprioritized }?.newPriority == 5)
            let preempted = try #require(seen.first { $0.type == .preempted })
            #expect(preempted.reason == "Preempted by anonymous - e2e" && !preempted.runId.isEmpty)
            #expect(seen.last?.reason == preempted.reason && seen.last?.created == preempted.created)
        }
    }

    /// An explicit Preempted rule whose verdict is terminal (a Fail rule, or the kill switch
    /// `globalMaxRetries: 0`) ends the job with the engine's reason form, unlike a preemption no
    /// rule names (raw reason, above).
    @Test(arguments: [(5, RetryAction.fail, "Retry policy: matched rule: Fail"),
                      (0, RetryAction.retry, "Retry policy: global max retries is 0, retries disabled")])
    func aTerminalVerdictForPreemptedGivesTheEnginesReason(_ globalMaxRetries: Int, _ action: RetryAction, _ prefix: String) async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.globalMaxRetries = globalMaxRetries
        try await SimHarness.run(config) { client, _ in
            try await client.createRetryPolicy(RetryPolicy(name: "fail-preempted", retryLimit: 3, defaultAction: .retry,
                                                           rules: [RetryRule(action: action, onConditions: ["Preempted"])]))
            try await client.createQueue(Queue(name: "preempt-rule-q", priorityFactor: 1, retryPolicies: ["fail-preempted"]))
            let set = "preempt-rule-set"
            let item = SimHarness.job(["sleep", "600"], extra: [.init("priorityClassName", .string("armada-preemptible"))])
            let id = try await client.submitJobs(JobSubmitRequest(queue: "preempt-rule-q", jobSetId: set, jobRequestItems: [item])).jobResponseItems[0].jobId
            var seen: [EventMessage] = []
            for try await m in JobSetWatcher(client: client, queue: "preempt-rule-q", jobSetId: set) {
                seen.append(m.message)
                if m.message.type == .running {
                    _ = try await client.preemptJobs(JobPreemptRequest(queue: "preempt-rule-q", jobSetId: set, jobIds: [id], reason: "e2e"))
                }
                if m.message.isTerminal { break }
            }
            #expect(seen.sequence == "submitted queued leased pending running preempting preempted failed")
            let failed = try #require(seen.last)
            #expect(!failed.retryable)
            #expect(failed.reason.hasPrefix(prefix), "\(failed.reason)")
            #expect(failed.reason.contains("Final run error:\nPreempted by anonymous - e2e"), "\(failed.reason)")
        }
    }
}
