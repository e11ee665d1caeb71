import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// 10 000 jobs through the model runtime with zero step times, and hundreds of real pods at once
/// through the process runtime: every one must finish (`make stress` runs 2 × 1 000 pods 10 times).
@Suite struct LoadTests {
    /// 2 × 50 `exit 0` pods submitted at once: all succeed, the API answers while they start and
    /// end (pod work never holds the simulator's threads), and nothing is left behind.
    @Test func hundredsOfProcessPodsAtOnce() async throws {
        let work = NSTemporaryDirectory() + "load-runs-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let mounts = Self.hostMounts()
        let runtime = ProcessRuntime(workRoot: work)
        try await SimHarness.run(runtime: runtime) { client, simulator in
            let item = SimHarness.job(["sh", "-c", "exit 0"], memory: "64Mi")
            var ids = Set<String>()
            for _ in 0..<2 {
                let response = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "process-load",
                                                                            jobRequestItems: Array(repeating: item, count: 50)))
                ids.formUnion(response.jobResponseItems.map(\.jobId))
            }
            var succeeded = Set<String>()
            var probes = 0
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: "process-load") {
                if m.message.type == .succeeded { succeeded.insert(m.message.jobId) }
                if m.message.isTerminalFailure { Issue.record("job \(m.message.jobId) failed: \(m.message.reason)"); break }
                if m.message.type == .running, probes < 5 {
                    probes += 1 // the API answers while pods run (within the client's call timeout)
                    #expect(try await client.jobStatus(Array(ids.prefix(500))).jobStates.count == min(ids.count, 500))
                }
                if succeeded.count == ids.count { break }
            }
            #expect(succeeded == ids)
            #expect(await simulator.jobCounts() == ["succeeded": 100])
            // Every pod's process has been reaped, so its namespaces (which nothing else holds) are gone.
            #expect(runtime.livePodProcesses.isEmpty, "\(runtime.livePodProcesses)")
        }
        // The sandboxes mounted only in their own mount namespaces: the host's mounts are as they were.
        #expect(Self.hostMounts() == mounts)
        for root in ["/sys/fs/cgroup/memory/armada-sim", "/sys/fs/cgroup/armada-sim"] {
            let groups = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix(runtime.memoryGroupPrefix) }
            #expect(groups.isEmpty, "left behind: \(groups)")
        }
        // Every run directory was removed as its pod ended (scripts/stress.sh also checks that no
        // pod process or memory group is left, which tests running alongside would blur here).
        let left = (try? FileManager.default.contentsOfDirectory(atPath: work + "/\(getpid())")) ?? []
        #expect(left.isEmpty, "\(left.prefix(5))")
    }

    /// This process's mount table (mount point and source per line), sorted.
    static func hostMounts() -> [String] {
        let text = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in line.split(separator: " ").dropFirst(4).prefix(1).joined() }.sorted()
    }

    @Test func tenThousandJobsRunToCompletion() async throws {
        try await SimHarness.run(SimConfig(timings: .instant)) { client, simulator in
            let set = "load"
            let item = SimHarness.job(["ls"])
            var ids = Set<String>()
            for _ in 0..<20 {
                let response = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: set,
                                                                            jobRequestItems: Array(repeating: item, count: 500)))
                ids.formUnion(response.jobResponseItems.map(\.jobId))
            }
            #expect(ids.count == 10_000)
            var succeeded = Set<String>()
            var events = 0
            for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: set) {
                events += 1
                if m.message.type == .succeeded { succeeded.insert(m.message.jobId) }
                if m.message.isTerminalFailure { Issue.record("job \(m.message.jobId) failed: \(m.message.reason)") ; break }
                if succeeded.count == ids.count { break }
            }
            #expect(succeeded == ids)
            #expect(events == 60_000)
            #expect(await simulator.jobCounts() == ["succeeded": 10_000])
        }
    }

    @Test func waitUntilIdleReturnsOnceEveryJobEnded() async throws {
        try await SimHarness.run { client, simulator in
            await simulator.waitUntilIdle() // nothing submitted: at once
            let long = SimHarness.job(["sh", "-c", "sleep 0.3"]), short = SimHarness.job(["ls"])
            _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "idle", jobRequestItems: [long, short, short]))
            await simulator.waitUntilIdle()
            #expect(await simulator.activeJobCount == 0)
            #expect(await simulator.jobCounts() == ["succeeded": 3])
            // A waiter whose task is cancelled returns without the simulator going idle.
            _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "idle-2",
                                                             jobRequestItems: [SimHarness.job(["sh", "-c", "sleep 600"])]))
            let waiter = Task { await simulator.waitUntilIdle() }
            waiter.cancel()
            await waiter.value
            #expect(await simulator.activeJobCount == 1)
        }
    }
}
