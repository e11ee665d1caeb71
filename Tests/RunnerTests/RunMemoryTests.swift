import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import Testing
import TestSpec

/// The memory of each run after a retry memory bump: Armada's API reports it nowhere, so the
/// runner shows the simulator's run log, and says so.
@Suite struct RunMemoryTests {
    struct SimRunLog: RunLogSource {
        let simulator: Simulator
        func runs(queue: String, jobSetId: String) async -> [RunLogRecord] {
            await simulator.runLog(queue: queue, jobSetId: jobSetId).map {
                RunLogRecord(jobId: $0.jobId, runIndex: $0.runIndex, memory: $0.memory, memoryBump: $0.memoryBump)
            }
        }
    }

    @Test func notesListOnlyJobsWhoseMemoryChanged() {
        let records = [
            RunLogRecord(jobId: "a", runIndex: 0, memory: "32Mi"), RunLogRecord(jobId: "a", runIndex: 1, memory: "64Mi", memoryBump: "×2"),
            RunLogRecord(jobId: "b", runIndex: 0, memory: "32Mi"), RunLogRecord(jobId: "b", runIndex: 1, memory: "64Mi", memoryBump: "×2"),
            RunLogRecord(jobId: "c", runIndex: 0, memory: "32Mi"), RunLogRecord(jobId: "c", runIndex: 1, memory: "32Mi"),
        ]
        #expect(RunMemoryNotes.lines(records) == [
            "memory by run (simulator's run log; Armada's API reports no run's memory): run 0: 32Mi, run 1: 64Mi (×2), 2 jobs",
        ])
        #expect(RunMemoryNotes.lines(Array(records.suffix(2))).isEmpty)
    }

    @Test func theOOMBumpCaseShowsEachRunsMemory() async throws {
        let simulator = Simulator(config: SimConfig(timings: TestCaseRunnerTests.fast), runtime: ModelRuntime())
        let path = TestCaseRunnerTests.root.path + "/testcases/retries/oom_memory_bump.yaml"
        let test = try #require(TestCaseLoader().load(file: path).testCase)
        try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let result = await TestCaseRunner(client: client, runLog: SimRunLog(simulator: simulator)).run(test)
            #expect(result.passed, "\(result.outcome)")
            #expect(result.runNotes == ["memory by run (simulator's run log; Armada's API reports no run's memory): run 0: 32Mi, run 1: 64Mi (×2)"])
            // The same log over HTTP, for a simulator started with `serve`.
            let url = URL(string: "http://127.0.0.1:\(port)/_sim/runs?queue=\(result.queue)&jobSetId=\(result.jobSetId)")!
            let response = try await URLSessionTransport().send(TransportRequest(method: "GET", url: url, headers: [:], body: nil, timeout: .seconds(10)))
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(body.contains(#""memory":"64Mi""#) && body.contains(#""memoryBump":"×2""#) && body.contains(#""runIndex":1"#), "\(body)")
            // Against a cluster (no run log) the output says why no memory is shown.
            let plain = await TestCaseRunner(client: client).run(test)
            #expect(plain.runNotes == ["memory by run: not shown; Armada's API reports no run's memory (the embedded simulator's run log does)"])
        }
    }
}
