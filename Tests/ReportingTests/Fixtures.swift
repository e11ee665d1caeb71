import Foundation
import Runner

/// Results with timelines, shared by the report tests.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    static func entry(_ type: String, _ offset: Double, _ id: String, retryable: Bool? = nil) -> TimelineEntry {
        TimelineEntry(type: type, time: t0.addingTimeInterval(offset), received: t0.addingTimeInterval(offset + 0.01), messageId: id,
                      retryable: retryable, reason: retryable == nil ? nil : "exit 1", category: retryable == nil ? nil : "user_error")
    }

    /// submitted → queued → leased (+1s) → running (+2s) → failed(retryable) → leased → running → succeeded.
    static let retried = JobTimeline(jobId: "job-1", events: [
        entry("submitted", 0, "1:0:0:1"), entry("queued", 0, "1:0:1:1"), entry("leased", 1, "2:0:0:1"),
        entry("running", 3, "3:0:0:1"), entry("failed", 4, "4:0:0:1", retryable: true), entry("leased", 5, "5:0:0:1"),
        entry("running", 6, "6:0:0:1"), entry("succeeded", 10, "7:0:0:1"),
    ])

    /// The latencies the recorder would have kept for these timelines.
    static func latencies(_ jobs: [JobTimeline]) -> [Transition: LatencyHistogram] {
        var out: [Transition: LatencyHistogram] = [:]
        for job in jobs {
            var t = JobTransitions()
            for e in job.events { if let (k, d) = t.observe(e.type, at: e.time) { out[k, default: LatencyHistogram()].record(d) } }
        }
        return out
    }

    static let results: [TestResult] = [
        TestResult(name: "single-pod-retry", file: "testcases/retries/single_pod_retry.yaml", folder: "retries",
                   jobSetId: "single_pod_retry-abc", queue: "q-abc", policies: ["p-abc"], environment: "ci", target: "local",
                   outcome: .passed, started: t0, duration: .milliseconds(10_500), log: ["created retry policy p-abc"],
                   jobs: [retried], latencies: latencies([retried]), eventsReceived: 8),
        TestResult(name: "bad", file: "testcases/basic/bad.yaml", folder: "basic", jobSetId: "bad-abc", queue: "e2e-test-queue",
                   outcome: .failed("job job-2 ended with failed while succeeded was expected next"), started: t0,
                   duration: .seconds(2), jobs: [JobTimeline(jobId: "job-2", events: [entry("submitted", 0, "1"), entry("failed", 1, "2", retryable: false)])],
                   latencies: latencies([JobTimeline(jobId: "job-2", events: [entry("submitted", 0, "1"), entry("failed", 1, "2", retryable: false)])])),
        TestResult(name: "slow", file: "testcases/basic/slow.yaml", folder: "basic", outcome: .timedOut("timed out after 1s"),
                   started: t0, duration: .seconds(1)),
        TestResult(name: "never", file: "testcases/basic/never.yaml", folder: "basic", outcome: .skipped("not run")),
    ]
}
