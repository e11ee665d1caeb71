import Foundation

/// What running one test case produced.
public struct TestResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case passed
        /// The test ran and its expectations were not met.
        case failed(String)
        /// The test could not run (setup, submission, infrastructure).
        case error(String)
    }

    public var name: String
    public var file: String
    public var jobSetId: String
    public var queue: String
    public var outcome: Outcome
    public var started: Date
    public var duration: Duration
    /// Lines describing what happened, for the console and JUnit's system-out.
    public var log: [String]

    public init(name: String, file: String, jobSetId: String, queue: String, outcome: Outcome, started: Date,
                duration: Duration, log: [String]) {
        self.name = name
        self.file = file
        self.jobSetId = jobSetId
        self.queue = queue
        self.outcome = outcome
        self.started = started
        self.duration = duration
        self.log = log
    }

    public var passed: Bool { outcome == .passed }
}
