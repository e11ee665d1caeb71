import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Synchronization
@testable import Runner
import Testing
import TestSpec

/// `--record`: a tape is written as events arrive, so an interrupted run leaves one too; a tape
/// that stops before a verdict replays as a timeout.
@Suite struct EventTapeTests {
    /// Says when the run has received `count` events.
    final class Counter: RunObserver {
        let seen = Mutex(0)
        let count: Int
        let reached: AsyncStream<Void>.Continuation
        init(count: Int, reached: AsyncStream<Void>.Continuation) { (self.count, self.reached) = (count, reached) }
        func testStarted(_ test: TestCase, index: Int) {}
        func testFinished(_ result: TestResult, index: Int) {}
        func eventReceived(index: Int) { if seen.withLock({ $0 += 1; return $0 }) == count { reached.yield() } }
    }

    @Test(.timeLimit(.minutes(1))) func anInterruptedRunLeavesItsTapeWhichReplaysAsIncomplete() async throws {
        let dir = NSTemporaryDirectory() + "tapes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let simulator = Simulator(config: SimConfig(timings: TestCaseRunnerTests.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in
            var settings = TestCaseRunner.Settings()
            settings.recordDirectory = dir
            settings.recordTarget = "in-test simulator"
            let runner = TestCaseRunner(client: ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!), settings: settings)
            let test = try SuiteRunnerTests.load(SuiteRunnerTests.yaml("long", command: "sleep 600"), file: "long.yaml")
            let (reached, signal) = AsyncStream<Void>.makeStream()
            let counter = Counter(count: 5, reached: signal) // submitted, queued, leased, pending, running
            let run = Task { await runner.run(test, observer: counter) }
            for await _ in reached { break }
            run.cancel()
            let result = await run.value
            #expect(result.status == .interrupted)
            let tape = try TapeReplay.read(dir + "/" + result.jobSetId + ".ndjson")
            #expect(tape.header.test == "long" && tape.header.jobSet == result.jobSetId && tape.header.target == "in-test simulator")
            #expect(tape.header.jobIds.count == 1 && tape.header.transport == "REST")
            #expect(tape.events.map { $0.message.type } == [.submitted, .queued, .leased, .pending, .running], "\(tape.events.map(\.message.typeName))")
            #expect(tape.verdict?.verdict == "interrupted")
            // Replayed, the events stop before the expected `succeeded`.
            let replayed = await TapeReplay.replay(tape, test: test)
            #expect(replayed.status == .timedOut, "\(replayed.outcome)")
            #expect(replayed.outcome.message.hasPrefix("the tape ends before every job produced its expected events: "))
        }
    }
}
