import TestSpec

/// Runs many test cases, at most `parallel` at a time, and returns their results in the order the
/// tests were given whatever order they finish in. When the calling task is cancelled (an
/// interrupt), running tests stop and clean up, and tests not yet started are reported as skipped.
///
/// With `failFast`, the first test that does not pass stops the run the same way: running tests are
/// interrupted and clean up, the rest are reported as not run, each saying which test stopped it.
///
/// A test with a node action (`cancelOnNode`, `preemptOnNode`) runs alone: it acts on every job of
/// the node, so another test's jobs there would be cancelled or preempted under it. It starts when
/// the tests before it have finished, and the ones after it wait for it.
public struct SuiteRunner: Sendable {
    public var runner: TestCaseRunner
    public var parallel: Int
    public var observer: (any RunObserver)?
    /// Stop at the first test that does not pass (`--fail-fast`).
    public var failFast: Bool
    /// Runs again, with a fresh job set, a test that failed, timed out or erred, up to this many
    /// times (`--retries`); one that then passes is flaky.
    public var retries: Int

    public init(runner: TestCaseRunner, parallel: Int = 8, observer: (any RunObserver)? = nil, failFast: Bool = false, retries: Int = 0) {
        self.runner = runner
        self.parallel = max(1, parallel)
        self.observer = observer
        self.failFast = failFast
        self.retries = max(0, retries)
    }

    /// The test, and again while it fails and retries remain; earlier attempts go into the result.
    static func attempts(_ test: TestCase, runner: TestCaseRunner, retries: Int, observer: (any RunObserver)?, index: Int) async -> TestResult {
        var result = await runner.run(test, observer: observer, index: index)
        var earlier: [TestResult.Attempt] = []
        var log: [String] = [], kept: [String] = []
        while earlier.count < retries, result.status.ranAndFailed, !Task.isCancelled {
            earlier.append(TestResult.Attempt(result))
            log.append("attempt \(earlier.count) of \(retries + 1) ended \(result.status.label) (job set \(result.jobSetId)): "
                + OneLine.fold(result.outcome.message, limit: 400) + "; retrying with a fresh job set")
            kept += result.kept
            result = await runner.run(test, observer: observer, index: index)
        }
        result.earlierAttempts = earlier
        result.log = log + result.log
        result.kept = kept + result.kept
        return result
    }

    public func run(_ tests: [TestCase]) async -> [TestResult] {
        var results = [TestResult?](repeating: nil, count: tests.count)
        var stopper: TestResult?
        await withTaskGroup(of: (Int, TestResult).self) { group in
            var next = 0, running = 0
            var alone = false
            /// Starts the next test if it may start now.
            func startNext() -> Bool {
                guard next < tests.count, running < parallel, !alone, stopper == nil, !Task.isCancelled else { return false }
                let index = next, test = tests[index]
                if test.action?.isNodeScoped == true {
                    guard running == 0 else { return false }
                    alone = true
                }
                next += 1
                running += 1
                let runner = self.runner, observer = self.observer, retries = self.retries
                group.addTask {
                    observer?.testStarted(test, index: index)
                    let result = await Self.attempts(test, runner: runner, retries: retries, observer: observer, index: index)
                    observer?.testFinished(result, index: index)
                    return (index, result)
                }
                return true
            }
            while startNext() {}
            for await (index, result) in group {
                results[index] = result
                running -= 1
                if tests[index].action?.isNodeScoped == true { alone = false }
                if failFast, stopper == nil, !result.passed {
                    stopper = result
                    group.cancelAll() // the running tests stop and clean up
                }
                while startNext() {}
            }
        }
        guard let stopper else { return zip(tests, results).map { test, result in result ?? Self.notRun(test) } }
        let why = "--fail-fast: \"\(stopper.name)\" ended \(stopper.status.label)"
        return zip(tests, results).map { test, result in
            guard var result else { return Self.notRun(test, reason: "not run: \(why)") }
            if case .interrupted(let text) = result.outcome { result.outcome = .interrupted("stopped by \(why); \(text)") }
            return result
        }
    }

    /// The result of a test the interrupt (or `--fail-fast`) kept from starting.
    public static func notRun(_ test: TestCase, reason: String = "not run: the run was interrupted before this test started") -> TestResult {
        TestResult(name: test.name, file: test.file, folder: test.folder, queue: test.queue, environment: test.environment,
                   target: test.target, outcome: .skipped(reason))
    }
}

extension SuiteRunner {
    /// What an interruptible run produced.
    public struct Outcome: Sendable {
        public var results: [TestResult]
        /// A signal stopped the run (running tests were interrupted, the rest skipped).
        public var interrupted: Bool
    }

    /// Runs the tests until they finish or `monitor` sees the first signal, which cancels them (their
    /// cleanups still run). `alongside` runs meanwhile (a console ticker) and is cancelled at the end.
    public func run(_ tests: [TestCase], until monitor: InterruptMonitor, onInterrupt: @escaping @Sendable () -> Void = {},
                    alongside: @escaping @Sendable () async -> Void = {}) async -> Outcome {
        // A signal during start-up: nothing starts.
        if monitor.interrupted {
            onInterrupt()
            return Outcome(results: tests.map { Self.notRun($0) }, interrupted: true)
        }
        let results = await withTaskGroup(of: [TestResult]?.self) { group in
            group.addTask { await self.run(tests) }
            group.addTask {
                if await monitor.firstSignal() != nil { onInterrupt() }
                return nil
            }
            group.addTask {
                await alongside()
                return nil
            }
            var results: [TestResult] = []
            for await value in group {
                if let value {
                    results = value
                    group.cancelAll()
                } else if monitor.interrupted {
                    group.cancelAll()
                }
            }
            return results
        }
        return Outcome(results: results, interrupted: monitor.interrupted)
    }
}
