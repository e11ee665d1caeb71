import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import TestFixtures
import Testing
import TestSpec

/// Transient faults of the target never turn a good run into an ERROR (issue #14).
@Suite struct TransientFaultTests {
    static let fast = SimConfig.Timings(cyclePeriod: 0.002, leaseToPending: 0.001, pendingToRunning: 0.001,
                                        defaultWorkloadDuration: 0.001, imagePullFailGrace: 0.01, timeScale: 1)

    @Test func submitsAnsweredUnavailableAreRetriedWithoutDuplicates() async throws {
        let simulator = Simulator(config: SimConfig(timings: Self.fast), runtime: ModelRuntime(), faults: SimFaults(failureRate: 0.3))
        try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!,
                                          retry: RetrySchedule(initialDelay: .milliseconds(5), maxDelay: .milliseconds(20), deadline: .seconds(20)))
            let test = try #require(TestCaseLoader().load(text: """
                name: flaky-target
                queue: e2e-test-queue
                numBatches: 4
                batchSize: 3
                \(TestFixtures.jobsBlock(command: "exit 0"))
                expectedEvents: [{submitted: }, {succeeded: }]
                """, file: "flaky.yaml").testCase)
            for _ in 0..<3 {
                let result = await TestCaseRunner(client: client).run(test)
                #expect(result.passed, "\(result.outcome) \(result.log)")
                // Every batch arrived exactly once: 12 jobs, however often a submit was answered 503.
                #expect(result.jobs.count == 12)
            }
        }
    }

    @Test func aMissingQueueOnTheEmbeddedSimulatorIsReportedAtOnce() async throws {
        let simulator = Simulator(config: SimConfig(timings: Self.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in
            var client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            client.queueCacheLag = false
            let test = try #require(TestCaseLoader().load(text: """
                queue: no-such-queue
                numBatches: 1
                batchSize: 1
                \(TestFixtures.jobsBlock(command: "exit 0"))
                expectedEvents: [{submitted: }]
                """, file: "missing.yaml").testCase)
            let result = await TestCaseRunner(client: client).run(test)
            #expect(result.status == .error && result.outcome.message.contains("could not find queue \"no-such-queue\""))
            // Not the real server's ~30 s of retries for its queue cache (the bound allows for a loaded machine).
            #expect(result.duration < .seconds(20), "\(result.duration)")
        }
    }
}
