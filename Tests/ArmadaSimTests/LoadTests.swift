import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// 10 000 jobs through the model runtime with zero step times: every one must finish.
@Suite struct LoadTests {
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
}
