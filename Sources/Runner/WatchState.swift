import ArmadaAPI
import TestSpec
import Foundation

/// The pure state machines a watch feeds, in one actor so the timeout report can read them while
/// the consumer is still running: the expectation matcher and the benchmark recorder.
actor WatchState {
    private var matcher: ExpectationMatcher
    private var recorder: EventRecorder

    init(test: TestCase, jobIds: [String]) {
        matcher = ExpectationMatcher(test: test, jobIds: jobIds)
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
    /// The failure with the job's runs: `…; runs of the job: run 0: failed (exit 1, retryable) on node-1; run 1: succeeded`.
    func message(for failure: MatchFailure) -> String {
        let runs = matcher.runHistory(of: failure.jobId)
        return failure.description + (runs.isEmpty ? "" : "; runs of the job: " + runs)
    }

    func jobs() -> [JobTimeline] { recorder.jobs }
    func latencies() -> [Transition: LatencyHistogram] { recorder.latencies }
}
