import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import Synchronization
import Testing
import TestSpec

/// Parallel suites, interrupts and cleanup accounting against the in-process simulator.
@Suite struct SuiteRunnerTests {
    static func yaml(_ name: String, command: String, batches: Int = 1, batchSize: Int = 1, interval: String = "0s",
                     policy: Bool = false, expected: String = "[{submitted: }, {succeeded: }]") -> String {
        """
        name: \(name)
        queue: \(policy ? "suite-q" : "e2e-test-queue")
        numBatches: \(batches)
        batchSize: \(batchSize)
        interval: "\(interval)"
        timeout: "60s"
        \(policy ? "retryPolicies: [{name: suite-policy, retryLimit: 1, defaultAction: Fail}]" : "")
        \(TestCaseRunnerTests.jobs(command))
        expectedEvents: \(expected)
        """
    }

    static func load(_ yaml: String, file: String) throws -> TestCase {
        try #require(TestCaseLoader().load(text: yaml, file: file).testCase)
    }

    func withSimulator(_ body: @Sendable (ArmadaRESTClient, Simulator) async throws -> Void) async throws {
        let simulator = Simulator(config: SimConfig(timings: TestCaseRunnerTests.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in
            try await body(ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!), simulator)
        }
    }

    /// Follows the simulator's event log (no polling) until `condition` holds.
    static func waitUntil(_ simulator: Simulator, _ condition: @Sendable (Simulator) async -> Bool) async {
        var seen = -1
        while !(await condition(simulator)), !Task.isCancelled { seen = await simulator.waitForLoggedEvents(moreThan: seen) }
    }

    /// Records what the observer saw and how many tests ran at once.
    final class Recorder: RunObserver {
        struct State { var started: [Int] = []; var finished: [Int] = []; var running = 0; var maxRunning = 0; var events = 0 }
        let state = Mutex(State())
        func testStarted(_ test: TestCase, index: Int) {
            state.withLock { s in s.started.append(index); s.running += 1; s.maxRunning = max(s.maxRunning, s.running) }
        }
        func eventReceived(index: Int) { state.withLock { $0.events += 1 } }
        func testFinished(_ result: TestResult, index: Int) { state.withLock { s in s.finished.append(index); s.running -= 1 } }
    }

    @Test(.timeLimit(.minutes(1))) func resultsKeepDiscoveryOrderAndParallelismIsBounded() async throws {
        try await withSimulator { client, _ in
            let tests = try [("slow", "sleep 0.4"), ("fast", "exit 0"), ("mid", "sleep 0.2"), ("last", "exit 0")]
                .map { try Self.load(Self.yaml($0.0, command: $0.1), file: "testcases/basic/\($0.0).yaml") }
            let recorder = Recorder()
            let results = await SuiteRunner(runner: TestCaseRunner(client: client), parallel: 2, observer: recorder).run(tests)
            #expect(results.map(\.name) == ["slow", "fast", "mid", "last"])
            #expect(results.allSatisfy { $0.passed }, "\(results.map(\.outcome))")
            #expect(results.allSatisfy { $0.folder == "basic" && $0.jobs.count == 1 && $0.eventsReceived >= 2 })
            let seen = recorder.state.withLock { $0 }
            #expect(seen.maxRunning == 2)
            #expect(Set(seen.started) == [0, 1, 2, 3] && Set(seen.finished) == [0, 1, 2, 3])
            #expect(seen.events == results.map(\.eventsReceived).reduce(0, +))
        }
    }

    /// A node action acts on every job of its node: its test runs alone, after the ones before it
    /// and before the ones after it.
    @Test(.timeLimit(.minutes(1))) func testsWithNodeActionsRunAlone() async throws {
        final class Log: RunObserver {
            let entries = Mutex<[String]>([])
            func testStarted(_ test: TestCase, index: Int) { entries.withLock { $0.append("start \(test.name)") } }
            func eventReceived(index: Int) {}
            func testFinished(_ result: TestResult, index: Int) { entries.withLock { $0.append("end \(result.name)") } }
        }
        try await withSimulator { client, _ in
            let node = Self.yaml("node", command: "sleep 0.2") + "\ncancelOnNode: {nodePoolTag: node-ops}\n"
            let tests = try [Self.yaml("a", command: "sleep 0.3"), Self.yaml("b", command: "exit 0"), node,
                             Self.yaml("c", command: "exit 0"), Self.yaml("d", command: "exit 0")]
                .enumerated().map { try Self.load($0.element, file: "testcases/basic/t\($0.offset).yaml") }
            let log = Log()
            let results = await SuiteRunner(runner: TestCaseRunner(client: client), parallel: 8, observer: log).run(tests)
            #expect(results.map(\.name) == ["a", "b", "node", "c", "d"])
            let entries = log.entries.withLock { $0 }
            let start = try #require(entries.firstIndex(of: "start node")), end = try #require(entries.firstIndex(of: "end node"))
            #expect(end == start + 1, "\(entries)")
            #expect(Set(entries[..<start]) == ["start a", "start b", "end a", "end b"], "\(entries)")
            #expect(Set(entries[(end + 1)...]) == ["start c", "start d", "end c", "end d"], "\(entries)")
            // Over REST the node action is an error that says why.
            #expect(results[2].status == .error && "\(results[2].outcome)".contains("cancelOnNode needs the gRPC transport"))
        }
    }

    @Test(.timeLimit(.minutes(1))) func anInterruptWhileWatchingCleansUpAndSkipsTheRest() async throws {
        try await withSimulator { client, simulator in
            let ledger = CleanupLedger()
            let tests = try (0..<3).map { try Self.load(Self.yaml("long\($0)", command: "sleep 600", batchSize: 2, policy: true),
                                                        file: "testcases/retries/long\($0).yaml") }
            let suite = SuiteRunner(runner: TestCaseRunner(client: client, ledger: ledger), parallel: 1)
            let run = Task { await suite.run(tests) }
            await Self.waitUntil(simulator) { await $0.jobCounts()["running", default: 0] == 2 }
            #expect(ledger.outstanding.count == 3) // policy, queue, job set
            run.cancel()
            let results = await run.value
            #expect(results.map(\.status) == [.interrupted, .skipped, .skipped])
            #expect(results[0].outcome.message.hasPrefix("interrupted while watching job set long0-"))
            #expect(results[0].jobs.count == 2)
            // Everything the test created is gone, and its jobs end.
            #expect(ledger.outstanding.isEmpty)
            await Self.waitUntil(simulator) { await $0.activeJobCount == 0 }
            #expect(await simulator.allQueues(limit: 0).compactMap(\.name) == ["e2e-retry-queue", "e2e-test-queue"])
            #expect(await simulator.allRetryPolicies().map(\.name) == ["e2e-retry-policy"])
        }
    }

    /// Holds the second `POST /v1/jobset/cancel` (the check that cancelling a job set without
    /// active jobs succeeds) until the caller gives up, and says when it got there.
    final class HoldingTransport: HTTPTransport {
        let inner = RoutingTransport()
        let cancels = Mutex(0)
        let reached: AsyncStream<Void>.Continuation

        init(reached: AsyncStream<Void>.Continuation) { self.reached = reached }

        func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
            let held = request.url.path == "/v1/jobset/cancel" && cancels.withLock { n in
                n += 1
                return n == 2
            }
            guard held else { return inner.stream(request) }
            reached.yield()
            return AsyncThrowingStream { _ in } // no answer: ends when the caller is cancelled
        }
    }

    /// A request the interrupt cuts makes the test INTERRUPTED, never FAIL (issue #14 item 5):
    /// here the final job-set cancel, whose error would otherwise fail the test.
    @Test(.timeLimit(.minutes(1))) func aRequestCutByTheInterruptIsNeverAFailure() async throws {
        try await withSimulator { client, _ in
            let test = try #require(TestCaseLoader().load(data: try Data(contentsOf: TestCaseRunnerTests.root.appendingPathComponent(
                "testcases/basic/cancel_job_set.yaml")), file: "testcases/basic/cancel_job_set.yaml").testCase)
            let (reached, signal) = AsyncStream<Void>.makeStream()
            let holding = ArmadaRESTClient(baseURL: client.baseURL, transport: HoldingTransport(reached: signal))
            let run = Task { await TestCaseRunner(client: holding).run(test) }
            for await _ in reached { break }
            run.cancel()
            let result = await run.value
            #expect(result.status == .interrupted, "\(result.outcome)")
            #expect(result.outcome.message == "interrupted while cancelling the job set with no active jobs")
        }
    }

    @Test(.timeLimit(.minutes(1))) func anInterruptWhileSubmittingStopsSubmitting() async throws {
        try await withSimulator { client, simulator in
            let test = try Self.load(Self.yaml("many", command: "sleep 600", batches: 1000, interval: "20ms", policy: true),
                                     file: "many.yaml")
            let runner = TestCaseRunner(client: client)
            let run = Task { await runner.run(test) }
            await Self.waitUntil(simulator) { await $0.jobCounts().values.reduce(0, +) >= 2 }
            run.cancel()
            let result = await run.value
            #expect(result.status == .interrupted)
            #expect(result.outcome.message.hasPrefix("interrupted while submitting batch "))
            let submitted = await simulator.jobCounts().values.reduce(0, +)
            #expect(submitted < 1000)
            await Self.waitUntil(simulator) { await $0.activeJobCount == 0 }
            #expect(await simulator.allQueues(limit: 0).compactMap(\.name) == ["e2e-retry-queue", "e2e-test-queue"])
            #expect(await simulator.allRetryPolicies().map(\.name) == ["e2e-retry-policy"])
        }
    }

    @Test(.timeLimit(.minutes(1))) func aCleanupThatFailsStaysInTheLedger() async throws {
        let ledger = CleanupLedger()
        // Nothing listens on port 9: creating the policy fails, its (registered) deletion too.
        let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:9")!, callTimeout: .seconds(2),
                                      retry: RetrySchedule(deadline: .milliseconds(100)))
        let test = try Self.load(Self.yaml("dead", command: "exit 0", policy: true), file: "dead.yaml")
        let result = await TestCaseRunner(client: client, settings: .init(cleanupDeadline: .milliseconds(200)), ledger: ledger).run(test)
        #expect(result.status == .error)
        #expect(result.outcome.message.hasPrefix("creating retry policies: "))
        #expect(ledger.outstanding.count == 1 && ledger.outstanding[0].hasPrefix("retry policy suite-policy-"))
        #expect(result.log.contains { $0.hasPrefix("cleanup: could not clean up retry policy suite-policy-") })
    }
}
