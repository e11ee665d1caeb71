import ArmadaAPI
import Foundation
import Runner
import Testing

/// A job's runs as the HTML report draws them, from the events the runner recorded.
@Suite struct RunSpanTests {
    typealias H = JobHistories

    @Test func aRetriedJobHasOneSpanPerRunWithPodNodeExitCodeAndDecision() {
        let job = H.timeline(H.events(jobId: "j", runs: [.retried(exit: 1), .retried(exit: 137), .succeeded]))
        let spans = job.runSpans
        #expect(spans.map(\.index) == [0, 1, 2])
        #expect(spans.map(\.podName) == ["armada-j-0-0", "armada-j-0-1", "armada-j-0-2"])
        #expect(spans.map(\.node) == ["node-1", "node-2", "node-3"])
        #expect(spans.map { $0.failure?.exitCode } == [1, 137, nil])
        #expect(spans.map(\.decision) == [.retried, .retried, .none])
        #expect(spans.map(\.outcome) == ["failed(retryable)", "failed(retryable)", "succeeded"])
        // leased → pending → running → end, 0.5 s apart, after submitted and queued.
        let first = spans[0]
        #expect(first.leased == H.t0.addingTimeInterval(1.0))
        #expect(first.pending == H.t0.addingTimeInterval(1.5))
        #expect(first.running == H.t0.addingTimeInterval(2.0))
        #expect(first.finish == H.t0.addingTimeInterval(2.5))
        #expect(spans.allSatisfy { !$0.cut && $0.elidedBefore == 0 })
    }

    @Test func aTerminalFailureIsNotRetriedWithItsReasonAndCategory() {
        let job = H.timeline(H.events(jobId: "j", runs: [.retried(exit: 1), .terminal(exit: 2, reason: "Retry policy: matched rule: Fail")]))
        let last = job.runSpans[1]
        #expect(last.decision == .notRetried)
        #expect(last.failure?.reason == "Retry policy: matched rule: Fail")
        #expect(last.failure?.category == "user_error")
        #expect(last.failure?.exitCode == 2)
    }

    @Test func aRetriedPreemptionEndsTheRunAndItsFailureSaysWhatComesNext() {
        let job = H.timeline(H.events(jobId: "j", runs: [.preemptedThenRetried, .succeeded]))
        let spans = job.runSpans
        #expect(spans.count == 2)
        #expect(spans[0].end?.type == "preempted")
        #expect(spans[0].failure?.retryable == true)
        #expect(spans[0].decision == .retried)
        #expect(spans[1].index == 1)
    }

    @Test func aLongHistoryKeepsTrueRunIndicesAndPodNamesAfterItsGap() {
        // 12 runs of 4 events (48 + 2) with 24 kept: the tail's runs keep their own indices.
        let runs = Array(repeating: JobHistories.Ending.retried(exit: 1), count: 11) + [.succeeded]
        let job = H.timeline(H.events(jobId: "j", runs: runs))
        #expect(job.elided > 0)
        let spans = job.runSpans
        // Kept: submitted, queued, runs 0 and 1, run 2's lease and pending | 26 not kept | runs 9 – 11.
        #expect(spans.map(\.index) == [0, 1, 2, 9, 10, 11])
        #expect(spans.map(\.podName) == [0, 1, 2, 9, 10, 11].map { "armada-j-0-\($0)" })
        #expect(spans.map(\.cut) == [false, false, true, false, false, false])
        #expect(spans.map(\.elidedBefore) == [0, 0, 0, job.elided, 0, 0])
        #expect(spans.last?.outcome == "succeeded")
    }

    @Test func aGapThatEndsInsideARunStillNamesThatRun() {
        // 22 kept: the tail (11 events) starts at run 9's pending, its lease not kept.
        let runs = Array(repeating: JobHistories.Ending.retried(exit: 1), count: 11) + [.succeeded]
        let job = H.timeline(H.events(jobId: "j", runs: runs), keep: 22)
        let spans = job.runSpans
        #expect(spans.map(\.index) == [0, 1, 2, 9, 10, 11])
        #expect(spans[3].leased == nil && spans[3].pending != nil && spans[3].elidedBefore == job.elided)
        #expect(spans[3].podName == "armada-j-0-9")
        #expect(spans[3].decision == .retried)
    }

    @Test func aJobRejectedBeforeAnyLeaseHasOneSpanWithoutIndex() {
        let events = [
            TimelineEntry(type: "submitted", time: H.t0, received: H.t0, messageId: "1"),
            TimelineEntry(type: "failed", time: H.t0.addingTimeInterval(1), received: H.t0, messageId: "2", retryable: false,
                          reason: "job is unschedulable", category: "internal"),
        ]
        let spans = JobTimeline(jobId: "j", events: events).runSpans
        #expect(spans.count == 1)
        #expect(spans[0].index == nil)
        #expect(spans[0].decision == .notRetried)
    }

    @Test func aCancelWhileQueuedMakesNoRunAndARunStillGoingIsOpen() {
        let queued = JobTimeline(jobId: "j", events: ["submitted", "queued", "cancelling", "cancelled"].enumerated().map {
            TimelineEntry(type: $1, time: H.t0.addingTimeInterval(Double($0)), received: H.t0, messageId: "\($0)")
        })
        #expect(queued.runSpans.isEmpty)
        let running = JobTimeline(jobId: "j", events: ["submitted", "queued", "leased", "running"].enumerated().map {
            TimelineEntry(type: $1, time: H.t0.addingTimeInterval(Double($0)), received: H.t0, messageId: "\($0)")
        })
        #expect(running.runSpans.count == 1)
        #expect(running.runSpans[0].end == nil)
        #expect(running.runSpans[0].outcome == nil)
        #expect(!running.runSpans[0].cut)
    }
}
