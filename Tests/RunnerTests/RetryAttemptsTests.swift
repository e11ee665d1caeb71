import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import Synchronization
import Testing
import TestSpec

/// `--retries`: a test that does not pass runs again with a fresh job set; one that passes on a
/// retry is flaky, not passed.
@Suite struct RetryAttemptsTests {
    /// Answers the first `POST /v1/job/submit` with 400 (not retried by the client), then passes
    /// everything through.
    final class FirstSubmitRefused: HTTPTransport {
        let inner = RoutingTransport()
        let submits = Mutex(0)

        func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
            let refuse = request.url.path == "/v1/job/submit" && submits.withLock { n in
                n += 1
                return n == 1
            }
            guard refuse else { return inner.stream(request) }
            return AsyncThrowingStream { continuation in
                continuation.yield(.head(status: 400, headers: ["Content-Type": "application/json"]))
                continuation.yield(.body(Array(#"{"code":3,"message":"simulated refusal of the first submit"}"#.utf8)))
                continuation.finish()
            }
        }
    }

    func withSimulator(_ body: @Sendable (URL, Simulator) async throws -> Void) async throws {
        let simulator = Simulator(config: SimConfig(timings: TestCaseRunnerTests.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in try await body(URL(string: "http://127.0.0.1:\(port)")!, simulator) }
    }

    @Test(.timeLimit(.minutes(1))) func aTestThatPassesOnARetryIsFlakyWithItsFailedAttempt() async throws {
        try await withSimulator { url, _ in
            let client = ArmadaRESTClient(baseURL: url, transport: FirstSubmitRefused())
            let test = try SuiteRunnerTests.load(SuiteRunnerTests.yaml("flaky", command: "exit 0"), file: "flaky.yaml")
            let results = await SuiteRunner(runner: TestCaseRunner(client: client), retries: 2).run([test])
            let result = try #require(results.first)
            #expect(result.status == .flaky, "\(result.outcome)")
            #expect(result.passed)
            #expect(result.earlierAttempts.count == 1)
            let first = try #require(result.earlierAttempts.first)
            #expect(first.status == .error)
            #expect(first.message.contains("simulated refusal of the first submit"), "\(first.message)")
            #expect(first.jobSetId != result.jobSetId && !first.jobSetId.isEmpty) // a fresh job set
            #expect(result.log.first?.hasPrefix("attempt 1 of 3 ended ERROR (job set \(first.jobSetId)): ") == true, "\(result.log)")
        }
    }

    @Test(.timeLimit(.minutes(1))) func aTestThatAlwaysFailsRunsOneMoreTimePerRetryThenFails() async throws {
        try await withSimulator { url, simulator in
            let client = ArmadaRESTClient(baseURL: url)
            let test = try SuiteRunnerTests.load(SuiteRunnerTests.yaml("broken", command: "exit 1"), file: "broken.yaml")
            let ledger = CleanupLedger()
            let result = try #require(await SuiteRunner(runner: TestCaseRunner(client: client, ledger: ledger), retries: 2).run([test]).first)
            #expect(result.status == .failed)
            #expect(result.earlierAttempts.map(\.status) == [.failed, .failed])
            #expect(Set(result.earlierAttempts.map(\.jobSetId) + [result.jobSetId]).count == 3)
            #expect(ledger.outstanding.isEmpty) // every attempt cleaned up
            #expect(await simulator.jobCounts()["failed"] == 3)
            // Without retries it runs once.
            let once = try #require(await SuiteRunner(runner: TestCaseRunner(client: client), retries: 0).run([test]).first)
            #expect(once.status == .failed && once.earlierAttempts.isEmpty)
        }
    }

    @Test func flakyTestsFailTheRunOnlyWhenAskedTo() {
        var flaky = TestResult(name: "f", file: "f.yaml", outcome: .passed)
        flaky.earlierAttempts = [TestResult.Attempt(TestResult(name: "f", file: "f.yaml", outcome: .failed("x")))]
        #expect(flaky.status == .flaky && !flaky.failsRun(failOnFlaky: false) && flaky.failsRun(failOnFlaky: true))
        let passed = TestResult(name: "p", file: "p.yaml", outcome: .passed)
        #expect(!passed.failsRun(failOnFlaky: true))
        #expect(TestResult(name: "x", file: "x.yaml", outcome: .failed("no")).failsRun(failOnFlaky: false))
    }

    @Test func onlyFailuresTimeoutsAndErrorsAreRetried() async throws {
        try await withSimulator { url, _ in
            // A test case that checks nothing is INVALID: running it again cannot change that.
            let invalid = try SuiteRunnerTests.load("name: empty\nqueue: e2e-test-queue\nexpectedEvents: [{submitted: }]\n", file: "empty.yaml")
            let result = try #require(await SuiteRunner(runner: TestCaseRunner(client: ArmadaRESTClient(baseURL: url)), retries: 3).run([invalid]).first)
            #expect(result.status == .invalid && result.earlierAttempts.isEmpty, "\(result.outcome)")
        }
    }
}
