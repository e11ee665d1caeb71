import Foundation

/// What running one test case produced.
public struct TestResult: Sendable {
    /// How the test ended; typed, so reports never classify by message text.
    public enum Outcome: Sendable, Equatable {
        case passed
        /// The test ran and its expectations were not met (a JUnit `failure`).
        case failed(String)
        /// The test's deadline passed before every job met its expectations (a JUnit `error`).
        case timedOut(String)
        /// The test could not run: setup, submission, the event stream, the target (a JUnit `error`).
        case error(String)
        /// A signal stopped the test; its cleanups still ran (a JUnit `error`).
        case interrupted(String)
        /// The run was interrupted before this test started.
        case skipped(String)
        /// The test case cannot check anything (no jobs and no queueConfig): never a pass (a JUnit
        /// `error`; the run exits 1, as for a failed test).
        case invalid(String)

        public var status: Status {
            switch self {
            case .passed: .passed
            case .failed: .failed
            case .timedOut: .timedOut
            case .error: .error
            case .interrupted: .interrupted
            case .skipped: .skipped
            case .invalid: .invalid
            }
        }

        /// The same outcome with `lines` after its reason (a passed test has no reason to add to).
        public func adding(_ lines: [String]) -> Outcome {
            let text = ([message] + lines).joined(separator: "\n")
            switch self {
            case .passed: return self
            case .failed: return .failed(text)
            case .timedOut: return .timedOut(text)
            case .error: return .error(text)
            case .interrupted: return .interrupted(text)
            case .skipped: return .skipped(text)
            case .invalid: return .invalid(text)
            }
        }

        /// The reason; empty when the test passed.
        public var message: String {
            switch self {
            case .passed: ""
            case .failed(let m), .timedOut(let m), .error(let m), .interrupted(let m), .skipped(let m), .invalid(let m): m
            }
        }
    }

    /// The outcome's kind, as reports name it.
    public enum Status: String, Sendable, CaseIterable {
        case passed, failed, timedOut = "timeout", error, interrupted, skipped, invalid
        /// Passed on a retry (`--retries`) after failing: not a pass.
        case flaky

        /// The test ran and did not pass: failed, timed out or erred (not invalid, interrupted or
        /// skipped). What `--retries` runs again and `--keep-on-failure` keeps.
        public var ranAndFailed: Bool { self == .failed || self == .timedOut || self == .error }

        /// Short upper-case label for tables: PASS, FAIL, TIMEOUT, ERROR, INTERRUPTED, SKIPPED, FLAKY.
        public var label: String {
            switch self {
            case .passed: "PASS"
            case .flaky: "FLAKY"
            case .failed: "FAIL"
            case .timedOut: "TIMEOUT"
            case .error: "ERROR"
            case .interrupted: "INTERRUPTED"
            case .skipped: "SKIPPED"
            case .invalid: "INVALID"
            }
        }
    }

    public var name: String
    public var file: String
    /// The folder the file sits in under `testcases/` (`retries`); JUnit's classname.
    public var folder: String
    public var jobSetId: String
    public var queue: String
    /// Retry policies created for this run, by their run-unique names.
    public var policies: [String]
    /// Prometheus labels from the test case.
    public var environment: String
    public var target: String
    public var outcome: Outcome
    public var started: Date
    public var duration: Duration
    /// Lines describing what happened, for the console and JUnit's system-out.
    public var log: [String]
    /// The test case's load warnings (`file:line:col: warning: …`), keys `--lenient` dropped among them.
    public var warnings: [String] = []
    /// Every watched job's events, in the order they arrived (long histories shortened).
    public var jobs: [JobTimeline]
    /// What the API does not report about the runs, with its source (the memory of each run after
    /// retry memory bumps, from the simulator's run log).
    public var runNotes: [String] = []
    /// What the test created and `--keep-on-failure` left in place (`queue q`, `retry policy p`,
    /// `job set s (queue q)`).
    public var kept: [String] = []
    /// The attempts before this one that did not pass (`--retries`), oldest first; each ran with a
    /// fresh job set, queue and policies.
    public var earlierAttempts: [Attempt] = []
    /// The jobs' state-transition latencies.
    public var latencies: [Transition: LatencyHistogram]
    /// Events the watcher delivered and the times its stream was re-opened.
    public var eventsReceived: Int
    public var reconnects: Int

    public init(name: String, file: String, folder: String = "", jobSetId: String = "", queue: String = "",
                policies: [String] = [], environment: String = "", target: String = "", outcome: Outcome,
                started: Date = Date(), duration: Duration = .zero, log: [String] = [], jobs: [JobTimeline] = [],
                latencies: [Transition: LatencyHistogram] = [:], eventsReceived: Int = 0, reconnects: Int = 0) {
        self.name = name
        self.file = file
        self.folder = folder
        self.jobSetId = jobSetId
        self.queue = queue
        self.policies = policies
        self.environment = environment
        self.target = target
        self.outcome = outcome
        self.started = started
        self.duration = duration
        self.log = log
        self.jobs = jobs
        self.latencies = latencies
        self.eventsReceived = eventsReceived
        self.reconnects = reconnects
    }

    /// The last attempt passed (a flaky test too).
    public var passed: Bool { outcome == .passed }
    public var status: Status { outcome == .passed && !earlierAttempts.isEmpty ? .flaky : outcome.status }

    /// Whether this result makes the run exit 1: it did not pass, or it was flaky and the run
    /// treats flaky tests as failures (`--fail-on-flaky`).
    public func failsRun(failOnFlaky: Bool) -> Bool { !passed || (failOnFlaky && status == .flaky) }

    /// One attempt that did not pass, as the reports show it.
    public struct Attempt: Sendable {
        public var status: Status
        public var message: String
        public var jobSetId: String
        public var duration: Duration

        public init(_ result: TestResult) {
            (status, message, jobSetId, duration) = (result.status, result.outcome.message, result.jobSetId, result.duration)
        }
    }
    public var finished: Date { started.addingTimeInterval(duration.seconds) }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    /// For people: `12ms` below a second, `1.23s` below ten, else `42s`.
    public var short: String {
        let s = seconds
        if s < 1 { return "\(Int((s * 1000).rounded()))ms" }
        return s < 10 ? String(format: "%.2fs", s) : String(format: "%.0fs", s)
    }
}
