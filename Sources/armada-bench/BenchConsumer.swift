import ArmadaAPI
import Foundation
import Runner
import TestSpec

/// What the runner does with each event of the stream benchmark's job set (every job: submitted,
/// retryable failures, then a terminal failure): the expectation matcher, the activity tracker and
/// the benchmark recorder, fed as a test run feeds them.
struct BenchConsumer {
    static let expected = [ExpectedEvent(.submitted), ExpectedEvent(.failed, failed: FailedExpectation(retryable: true)),
                           ExpectedEvent(.failed, failed: FailedExpectation(retryable: false))]

    private var matcher: ExpectationMatcher
    private var recorder: EventRecorder
    private var activity: JobActivityTracker
    private(set) var outcome = ExpectationMatcher.Outcome.pending

    init(jobIds: [String]) {
        matcher = ExpectationMatcher(expected: Self.expected, jobIds: jobIds)
        recorder = EventRecorder(jobIds: jobIds)
        activity = JobActivityTracker(jobIds: jobIds)
    }

    mutating func consume(_ message: EventStreamMessage) {
        recorder.record(message, received: Date())
        outcome = matcher.consume(message.message)
        activity.consume(message.message)
    }

    /// Every job met its expectations and ended.
    var satisfied: Bool { matcher.isSatisfied && activity.allExited }
}
