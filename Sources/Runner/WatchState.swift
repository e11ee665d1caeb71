import ArmadaAPI
import TestSpec
import Foundation

/// The pure state machines a watch feeds, in one actor so the timeout report can read them while
/// the consumer is still running: the expectation matcher and the benchmark recorder.
actor WatchState {
    private var matcher: ExpectationMatcher
    private var recorder: EventRecorder

    init(expected: [ExpectedEvent], jobIds: [String]) {
        matcher = ExpectationMatcher(expected: expected, jobIds: jobIds)
        recorder = EventRecorder(jobIds: jobIds)
    }

    func consume(_ message: EventStreamMessage, received: Date) -> ExpectationMatcher.Outcome {
        recorder.record(message, received: received)
        return matcher.consume(message.message)
    }

    /// `; [submitted] received but [succeeded] missing for 2 job(s); last events: <job>: a → b, …`
    func report() -> String {
        var out = ""
        let summary = matcher.progressSummary
        if !summary.isEmpty { out += "; " + summary.joined(separator: ", ") }
        let recent = matcher.recentEvents()
        if !recent.isEmpty { out += "; last events: " + recent.joined(separator: "; ") }
        return out
    }
    func jobs() -> [JobTimeline] { recorder.jobs }
    func latencies() -> [Transition: LatencyHistogram] { recorder.latencies }
}
