import Foundation
import Reporting
import Runner
import Synchronization
import Testing
import TestSpec

@Suite struct ConsoleTests {
    final class Capture: Sendable {
        let text = Mutex("")
        var write: @Sendable (String) -> Void { { [self] s in text.withLock { $0 += s } } }
        var value: String { text.withLock { $0 } }
    }

    static let test = TestCase(file: "testcases/retries/single_pod_retry.yaml", fileName: "single_pod_retry", name: "single-pod-retry")

    @Test func colourOnlyOnATerminalWithoutNoColor() {
        #expect(ConsoleStyle.detect(isTTY: true, environment: [:], noColorFlag: false).color)
        #expect(!ConsoleStyle.detect(isTTY: false, environment: [:], noColorFlag: false).color)
        #expect(!ConsoleStyle.detect(isTTY: true, environment: ["NO_COLOR": "1"], noColorFlag: false).color)
        #expect(!ConsoleStyle.detect(isTTY: true, environment: [:], noColorFlag: true).color)
        #expect(!ConsoleStyle.detect(isTTY: true, environment: ["TERM": "dumb"], noColorFlag: false).color)
        #expect(ConsoleStyle.detect(isTTY: true, environment: ["NO_COLOR": ""], noColorFlag: false).color)
    }

    @Test func plainLinesStartEndAndTheRetryChain() {
        let capture = Capture()
        let console = ConsoleReporter(options: .init(), total: 2, write: capture.write)
        console.testStarted(Self.test, index: 0)
        console.eventReceived(index: 0)
        console.testFinished(Fixtures.results[0], index: 0)
        console.testFinished(Fixtures.results[1], index: 1)
        console.tick()
        let out = capture.value
        #expect(out.hasPrefix("START single-pod-retry (testcases/retries/single_pod_retry.yaml)\nPASS single-pod-retry 10s\n"))
        #expect(out.contains("    1 job (2 runs): submitted → queued → leased → running → failed(retryable) → leased → running → succeeded\n"))
        #expect(out.contains("FAIL bad 2.00s: job job-2 ended with failed while succeeded was expected next\n"))
        #expect(!out.contains("\u{1B}")) // no colour, no status line off a terminal
    }

    @Test func quietShowsOnlyWhatDidNotPass() {
        let capture = Capture()
        let console = ConsoleReporter(options: .init(quiet: true), total: 2, write: capture.write)
        console.testStarted(Self.test, index: 0)
        console.testFinished(Fixtures.results[0], index: 0)
        console.testFinished(Fixtures.results[1], index: 1)
        #expect(capture.value.hasPrefix("FAIL bad 2.00s: "))
        #expect(!capture.value.contains("PASS") && !capture.value.contains("START"))
    }

    @Test func aTerminalGetsAStatusLineThatLinesClear() {
        let capture = Capture()
        let console = ConsoleReporter(options: .init(style: ConsoleStyle(color: true), liveStatus: true), total: 3, write: capture.write)
        let clock = ContinuousClock.now
        console.testStarted(Self.test, index: 0)
        console.tick(now: clock)
        for _ in 0..<50 { console.eventReceived(index: 0) }
        console.tick(now: clock.advanced(by: .milliseconds(500)))
        let out = capture.value
        #expect(out.contains("[0/3] running 1 · passed 0 · failed 0 · 100 events/s"))
        #expect(out.contains("\u{1B}[32m") == false) // nothing passed yet
        console.testFinished(Fixtures.results[0], index: 0)
        let after = capture.value.dropFirst(out.count)
        #expect(after.hasPrefix("\r\u{1B}[2K\u{1B}[32mPASS\u{1B}[0m single-pod-retry"))
        console.finish()
        #expect(ConsoleStyle.strip(capture.value).contains("PASS single-pod-retry"))
    }

    @Test func theSummaryListsWhatKeepOnFailureKept() {
        var results = Fixtures.results
        results[1].kept = ["retry policy p-abc", "queue q-abc", "job set bad-abc (queue q-abc)"]
        let summary = RunSummary(results: results).render()
        #expect(summary.contains("kept (--keep-on-failure) for bad: retry policy p-abc, queue q-abc, job set bad-abc (queue q-abc)"), "\(summary)")
        #expect(!RunSummary(results: Fixtures.results).render().contains("kept (--keep-on-failure)"))
        let json = JSONReport(results: results, target: "t", started: Fixtures.t0, elapsed: .seconds(1), version: "v").render()
        #expect(json.contains(#""kept": ["#) && json.contains(#""job set bad-abc (queue q-abc)""#))
    }

    @Test func theSummaryCountsAndExplainsFlakyTests() {
        var results = Fixtures.results
        var failed = results[0]
        failed.outcome = .failed("job j ended with failed")
        results[0].earlierAttempts = [TestResult.Attempt(failed)]
        let summary = RunSummary(results: results).render()
        #expect(summary.contains("FLAKY single-pod-retry: passed on attempt 2; attempt 1 FAIL: job j ended with failed"), "\(summary)")
        #expect(summary.contains("0 passed, 1 failed, 1 flaky, 1 timed out, 1 skipped"), "\(summary)")
    }

    @Test func stripRemovesEscapes() {
        #expect(ConsoleStyle.strip("\u{1B}[1;31mred\u{1B}[0m \u{1B}]0;title\u{07}x") == "red x")
    }

    @Test func summaryCountsEveryKind() {
        let summary = RunSummary(results: Fixtures.results, elapsed: .seconds(12)).render()
        #expect(summary.contains("Ran 4 test(s) in 12s: 1 passed, 1 failed, 1 timed out, 1 skipped"))
        #expect(summary.contains("single-pod-retry  PASS     10s      single_pod_retry-abc"))
        #expect(summary.contains("TIMEOUT slow: timed out after 1s"))
    }
}
