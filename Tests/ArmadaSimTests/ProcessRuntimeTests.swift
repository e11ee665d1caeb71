import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import RetryEngine
import Testing

/// The process runtime with real processes (root, mount namespaces and cgroups on this machine).
@Suite(.serialized) struct ProcessRuntimeTests {
    static let runtime = ProcessRuntime()

    func run(_ body: @Sendable (ArmadaRESTClient, Simulator) async throws -> Void) async throws {
        var config = SimConfig(timings: SimHarness.fast)
        config.retryPolicies.append(RetryPolicy(name: "seed", retryLimit: 2, defaultAction: .fail,
                                                rules: [RetryRule(action: .retry, onConditions: ["AppError"])]))
        config.retryPolicies.append(RetryPolicy(name: "transient", retryLimit: 2, defaultAction: .fail,
                                                rules: [RetryRule(action: .retry, onTerminationMessagePattern: ".*TRANSIENT.*")]))
        config.queues += [Queue(name: "seed-q", priorityFactor: 1, retryPolicies: ["seed"]),
                          Queue(name: "transient-q", priorityFactor: 1, retryPolicies: ["transient"])]
        try await SimHarness.run(config, runtime: Self.runtime, body)
        // Nothing is left behind once the simulator has stopped: no run directory, no memory group.
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: Self.runtime.runDirectory)) ?? []
        #expect(runs.isEmpty, "left behind: \(runs)")
        // Nor a bridge, a veth or a leased address.
        #expect(Self.runtime.bridges.isEmpty && Self.runtime.networkLeftovers.isEmpty, "\(Self.runtime.bridges) \(Self.runtime.networkLeftovers)")
        for root in ["/sys/fs/cgroup/memory/armada-sim", "/sys/fs/cgroup/armada-sim"] {
            let groups = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix(Self.runtime.memoryGroupPrefix) }
            #expect(groups.isEmpty, "left behind: \(groups)")
        }
    }

    static let podinfo: (JSONValue.Member, JSONValue.Member) = (
        .init("volumes", .array([.object([
            .init("name", .string("podinfo")),
            .init("downwardAPI", .object([.init("items", .array([.object([
                .init("path", .string("run_index")),
                .init("fieldRef", .object([.init("fieldPath", .string("metadata.labels['armada_job_run_index']"))])),
            ])]))])),
        ])])),
        .init("volumeMounts", .array([.object([.init("name", .string("podinfo")), .init("mountPath", .string("/podinfo"))])]))
    )

    @Test func seedSinglePodRetryWithRealProcesses() async throws {
        try await run { client, _ in
            let item = SimHarness.job(["sh", "-c", #"if [ "$(cat /podinfo/run_index)" = "0" ]; then exit 1; fi; exit 0"#],
                                      extra: [Self.podinfo.0], container: [Self.podinfo.1])
            let e = try #require(try await SimHarness.runToEnd(client, queue: "seed-q", items: [item]).values.first)
            #expect(e.sequence == "submitted queued leased pending running failed(retryable) leased pending running succeeded")
            #expect(e.filter { $0.type == .pending }.map(\.podName) == ["armada-\(e[0].jobId)-0-0", "armada-\(e[0].jobId)-0-1"])
            #expect(!FileManager.default.fileExists(atPath: "/podinfo"))
        }
    }

    @Test func terminationMessageMatcherAndStartError() async throws {
        try await run { client, _ in
            let transient = SimHarness.job(["sh", "-c", #"if [ "$(cat /podinfo/run_index)" = "0" ]; then echo TRANSIENT_ERROR > /dev/termination-log; exit 1; fi"#],
                                           extra: [Self.podinfo.0], container: [Self.podinfo.1])
            let e = try #require(try await SimHarness.runToEnd(client, queue: "transient-q", items: [transient]).values.first)
            #expect(e.sequence.hasSuffix("failed(retryable) leased pending running succeeded"))
            #expect(e.first { $0.type == .failed }?.containerStatuses.first?.message == "TRANSIENT_ERROR\n")
            let missing = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [SimHarness.job(["no-such-binary-xyz"])]).values.first)
            #expect(missing.last?.containerStatuses.first?.reason == "StartError" && missing.last?.containerStatuses.first?.exitCode == 128)
            // A container that never started has no running event: pending, then failed (lifecycle §4.3).
            #expect(missing.sequence == "submitted queued leased pending failed", "\(missing.sequence)")
            // Also when its sibling could start.
            var pair = SimHarness.job(["sleep", "0"])
            pair.podSpec = pair.podSpec.map { spec in
                guard case .object(var members) = spec, let i = members.firstIndex(where: { $0.key == "containers" }),
                      case .array(var containers) = members[i].value, case .object(var second) = containers[0] else { return spec }
                if let n = second.firstIndex(where: { $0.key == "name" }) { second[n].value = .string("second") }
                if let c = second.firstIndex(where: { $0.key == "command" }) { second[c].value = .array([.string("no-such-binary-xyz")]) }
                containers.append(.object(second))
                members[i].value = .array(containers)
                return .object(members)
            }
            let mixed = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [pair]).values.first)
            #expect(mixed.sequence == "submitted queued leased pending failed", "\(mixed.sequence)")
        }
    }

    @Test func memoryLimitIsEnforced() async throws {
        try await run { client, _ in
            let hog = SimHarness.job(["sh", "-c", "dd if=/dev/zero of=/dev/shm/fill bs=1M count=64"], memory: "32Mi")
            let e = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [hog]).values.first)
            #expect(e.last?.cause == .oom && e.last?.containerStatuses.first?.reason == "OOMKilled")
            #expect(e.last?.containerStatuses.first?.exitCode == 137 && e.last?.failureCategory == "oom")
        }
    }

    @Test func anOOMKillUnderASmallLimitEndsOnlyThatPod() async throws {
        // The pods' processes are started by one launcher whose memory each pod's init shares: only
        // the command is in the memory group, so the OOM killer picks it, never the init (which
        // would take the launcher and every other pod with it).
        try await run { client, _ in
            let hog = SimHarness.job(["sh", "-c", "sleep 0.2; dd if=/dev/zero of=/dev/shm/fill bs=1M count=64"], memory: "8Mi")
            let bystander = SimHarness.job(["sh", "-c", "sleep 1"], memory: "64Mi")
            let runs = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [hog, bystander])
            let ends = runs.values.compactMap(\.last)
            #expect(ends.count == 2)
            #expect(ends.filter { $0.type == .succeeded }.count == 1, "\(runs.values.map(\.sequence))")
            #expect(ends.contains { $0.cause == .oom && $0.containerStatuses.first?.reason == "OOMKilled" }, "\(ends.map(\.reason))")
        }
    }

    @Test func cancellingASleepLeavesNoProcess() async throws {
        try await run { client, _ in
            // A duration no other process has names the sleeper on the host (`sleep 100.<random>`).
            let marker = "100.\(UInt32.random(in: 100_000...999_999))"
            let set = "cancel-proc"
            _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set, jobRequestItems: [
                SimHarness.job(["sh", "-c", "exec sleep \(marker)"], extra: [.init("terminationGracePeriodSeconds", .number("0"))]),
            ]))
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: set) {
                if m.message.type == .running {
                    // The sandbox starts the command a moment after `running`: cancel once it sleeps.
                    var sleeping = false
                    for _ in 0..<500 where !sleeping {
                        sleeping = Self.processExists(named: "sleep\0\(marker)")
                        if !sleeping { try await Task.sleep(for: .milliseconds(10)) }
                    }
                    #expect(sleeping)
                    try await client.cancelJobSet(JobSetCancelRequest(jobSetId: set, queue: "e2e-test-queue"))
                }
                if m.message.type == .cancelled { break }
            }
            // The kill is asynchronous: wait (bounded) for the group to disappear.
            var alive = true
            for _ in 0..<200 where alive {
                alive = Self.processExists(named: "sleep\0\(marker)")
                if alive { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(!alive)
        }
    }

    static func processExists(named name: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.contains { pid in
            guard Int(pid) != nil, let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: cmd, as: UTF8.self).contains(name)
        }
    }
}
