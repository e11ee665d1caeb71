import Foundation
import Synchronization
import TestSpec

/// Keeps which tests started and how those that finished ended, as they happen (forwarding each
/// call to `next`), so that a run that must exit at once (a second signal) can still report every
/// test: finished ones as they ended, running ones as interrupted with what they leave behind,
/// the rest as not run.
public final class RunBook: RunObserver {
    private struct State {
        var started: [Int: Date] = [:]
        var finished: [Int: TestResult] = [:]
    }

    private let state = Mutex(State())
    private let next: (any RunObserver)?

    public init(forwardingTo next: (any RunObserver)? = nil) {
        self.next = next
    }

    public func testStarted(_ test: TestCase, index: Int) {
        state.withLock { $0.started[index] = Date() }
        next?.testStarted(test, index: index)
    }

    public func eventReceived(index: Int) {
        next?.eventReceived(index: index)
    }

    public func testFinished(_ result: TestResult, index: Int) {
        state.withLock { $0.finished[index] = result }
        next?.testFinished(result, index: index)
    }

    /// Every test's result as of now, in the order given.
    public func snapshot(_ tests: [TestCase], ledger: CleanupLedger?, embedded: Bool) -> [TestResult] {
        let (started, finished) = state.withLock { ($0.started, $0.finished) }
        return tests.enumerated().map { index, test in
            if let result = finished[index] { return result }
            var result = SuiteRunner.notRun(test)
            guard let begin = started[index] else { return result }
            let left = embedded ? [] : ledger?.outstanding(of: index) ?? []
            result.outcome = .interrupted("interrupted: the run exited at a second signal before this test had cleaned up"
                + (left.isEmpty ? "" : "; left behind (delete by hand): " + left.joined(separator: ", ")))
            result.started = begin
            result.duration = .seconds(Date().timeIntervalSince(begin))
            return result
        }
    }
}
