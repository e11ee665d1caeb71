import ArmadaAPI
import Foundation
@testable import Runner
import Testing

/// The lines a failure gets from Armada's Jobs API (pure part).
@Suite struct JobRecordNotesTests {
    func entry(_ type: String, retryable: Bool? = nil) -> TimelineEntry {
        TimelineEntry(type: type, time: Date(), received: Date(), messageId: "1:0:0:1", retryable: retryable)
    }

    @Test func picksTerminalFailuresFirstThenUnfinishedJobs() {
        let jobs = [
            JobTimeline(jobId: "ok", events: [entry("submitted"), entry("succeeded")]),
            JobTimeline(jobId: "running", events: [entry("submitted"), entry("running")]),
            JobTimeline(jobId: "retrying", events: [entry("running"), entry("failed", retryable: true)]),
            JobTimeline(jobId: "failed", events: [entry("running"), entry("failed", retryable: false)]),
            JobTimeline(jobId: "silent"),
        ]
        #expect(JobRecordNotes.pick(jobs) == ["failed", "running", "retrying"])
        #expect(JobRecordNotes.pick(jobs, limit: 5) == ["failed", "running", "retrying", "silent"])
        #expect(JobRecordNotes.pick([jobs[0]]).isEmpty)
    }

    @Test func describesEachRunWithPodNodeAndTimes() {
        let t0 = Timestamp(seconds: 1_796_337_929, nanos: 250_000_000)
        func at(_ s: Double) -> Timestamp { Timestamp(Date(timeIntervalSince1970: t0.date.timeIntervalSince1970 + s)) }
        let runs = [
            JobRunDetails(runId: "r0", jobId: "j", state: .failed, cluster: "ex", node: "n1", leasedTs: t0, pendingTs: at(0.05),
                          startedTs: at(0.5), finishedTs: at(12.25)),
            JobRunDetails(runId: "r1", jobId: "j", state: .leaseReturned, cluster: "ex", leasedTs: at(20)),
        ]
        let details = JobDetails(jobId: "j", state: .failed, jobRuns: runs)
        let lines = JobRecordNotes.lines(ids: ["j", "gone"], details: ["j": details], errors: ["j": "Retry policy: limit\n\nFinal run error:\nexit 1"],
                                         podNames: ["j": ["armada-j-0-0", "armada-j-0-1"]])
        #expect(lines == [
            "Armada's record of job j: failed; error: Retry policy: limit ⏎ Final run error: ⏎ exit 1",
            "  run 0 (pod armada-j-0-0, id r0): failed on n1 (executor ex), leased 22:45:29.250 UTC, pending +0.05s, running +0.50s, finished +12.2s",
            "  run 1 (pod armada-j-0-1, id r1): lease returned (executor ex), leased 22:45:49.250 UTC",
            "Armada's record of job gone: none (the Jobs API does not know the job)",
        ])
        // Pod names that do not line up with the runs are left out rather than guessed.
        let unmatched = JobRecordNotes.lines(ids: ["j"], details: ["j": details], errors: [:], podNames: ["j": ["armada-j-0"]])
        #expect(unmatched[1].hasPrefix("  run 0 (id r0): failed"))
    }

    @Test func longErrorsAreShortenedToOneLine() {
        let text = JobRecordNotes.oneLine(String(repeating: "x", count: 500) + "\n\n  y  ", limit: 400)
        #expect(text.count == 401 && text.hasSuffix("…") && !text.contains("\n"))
    }
}
