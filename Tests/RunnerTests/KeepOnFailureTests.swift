import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import Testing
import TestSpec

/// `--keep-on-failure`: a test that does not pass leaves what it made; one that passes cleans up.
@Suite struct KeepOnFailureTests {
    @Test(.timeLimit(.minutes(1))) func aFailedTestKeepsItsQueuePolicyAndJobSetAndAPassingOneCleansUp() async throws {
        let simulator = Simulator(config: SimConfig(timings: TestCaseRunnerTests.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let ledger = CleanupLedger()
            var settings = TestCaseRunner.Settings()
            settings.keepOnFailure = true
            let runner = TestCaseRunner(client: client, settings: settings, ledger: ledger)
            // Fails: its job runs for a long while, the test expects it to have failed already.
            let failing = try SuiteRunnerTests.load(SuiteRunnerTests.yaml("kept", command: "sleep 600", policy: true,
                                                                         expected: "[{submitted: }, {failed: }]")
                                                        .replacingOccurrences(of: "timeout: \"60s\"", with: "timeout: \"1s\""), file: "kept.yaml")
            let result = await runner.run(failing)
            #expect(result.status == .timedOut, "\(result.outcome)")
            #expect(result.kept.count == 3, "\(result.kept)")
            #expect(result.kept.contains { $0.hasPrefix("retry policy suite-policy-") })
            #expect(result.kept.contains { $0.hasPrefix("queue suite-q-") })
            #expect(result.kept.contains { $0.hasPrefix("job set \(result.jobSetId) (queue suite-q-") })
            #expect(result.log.contains { $0.hasPrefix("kept for debugging (--keep-on-failure), not cleaned up: ") })
            #expect(ledger.outstanding.isEmpty) // kept on purpose, not left behind
            #expect(await simulator.allQueues(limit: 0).compactMap(\.name).contains(result.queue))
            #expect(await simulator.allRetryPolicies().map(\.name).contains { $0.hasPrefix("suite-policy-") })
            #expect(await simulator.activeJobCount == 1) // its job still runs
            // A test that passes cleans up as always.
            let passing = try SuiteRunnerTests.load(SuiteRunnerTests.yaml("clean", command: "exit 0"), file: "clean.yaml")
            let passed = await runner.run(passing)
            #expect(passed.status == .passed, "\(passed.outcome)")
            #expect(passed.kept.isEmpty)
            #expect(ledger.outstanding.isEmpty)
        }
    }
}
