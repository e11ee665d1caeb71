import ArmadaAPI
import Foundation
@testable import Runner
import Testing

@Suite struct EventRecorderTests {
    func message(_ type: EventType, _ job: String, at seconds: Double, id: String, retryable: Bool = false) -> EventStreamMessage {
        var event = EventMessage(type, jobId: job)
        event.created = Timestamp(Date(timeIntervalSince1970: seconds))
        event.retryable = retryable
        if type == .failed { event.reason = "exit 1"; event.failureCategory = "user_error" }
        return EventStreamMessage(id: id, message: event)
    }

    @Test func recordsKnownJobsInOrderWithServerTimesAndIds() {
        var recorder = EventRecorder(jobIds: ["b", "a", "b"])
        let received = Date(timeIntervalSince1970: 500)
        recorder.record(message(.submitted, "a", at: 100, id: "1:0:0:1"), received: received)
        recorder.record(message(.submitted, "x", at: 100, id: "1:0:1:1"), received: received) // not ours
        recorder.record(message(.failed, "b", at: 101, id: "2:0:0:1", retryable: true), received: received)
        var untimed = EventStreamMessage(id: "3:0:0:1", message: EventMessage(.queued, jobId: "a"))
        untimed.message.created = nil
        recorder.record(untimed, received: received)
        #expect(recorder.jobs.map(\.jobId) == ["b", "a"])
        #expect(recorder.jobs[1].events.map(\.type) == ["submitted", "queued"])
        #expect(recorder.jobs[1].events.map(\.messageId) == ["1:0:0:1", "3:0:0:1"])
        #expect(recorder.jobs[1].events[0].time == Date(timeIntervalSince1970: 100))
        #expect(recorder.jobs[1].events[1].time == received)
        let failed = recorder.jobs[0].events[0]
        #expect(failed.retryable == true && failed.reason == "exit 1" && failed.category == "user_error")
        #expect(recorder.jobs[0].chain == "failed(retryable)")
    }

    @Test func podNamesAreKeptPerRunWithoutStoringArmadasOwnForm() {
        var recorder = EventRecorder(jobIds: ["j"])
        let names = ["armada-j-0-0", "armada-j-0-1", "custom-pod", "armada-j-0-03", "armada-j-0", "armada-j-0-4", "armada-k-0-6"]
        for (i, name) in names.enumerated() {
            var pending = message(.pending, "j", at: Double(i), id: "\(i):0:0:1")
            pending.message.podName = name
            recorder.record(pending, received: Date())
        }
        let timeline = recorder.jobs[0]
        #expect(timeline.podNames == names)
        // Only the names that are not armada-j-0-<run> for their run are stored.
        #expect(timeline.podNameExceptions == [2: "custom-pod", 3: "armada-j-0-03", 4: "armada-j-0", 5: "armada-j-0-4", 6: "armada-k-0-6"])
        var many = JobTimeline(jobId: "m")
        for i in 0..<(JobTimeline.maxPodNames + 5) { many.recordPodName("armada-m-0-\(i)") }
        #expect(many.podNames.count == JobTimeline.maxPodNames && many.podNameExceptions.isEmpty)
    }

    @Test func transitionsArePerJobAndPerRun() {
        var recorder = EventRecorder(jobIds: ["a"])
        let steps: [(EventType, Double, Bool)] = [
            (.submitted, 0, false), (.queued, 1, false), (.leased, 3, false), (.pending, 4, false), (.running, 7, false),
            (.failed, 8, true), (.leased, 10, false), (.running, 10.5, false), (.succeeded, 14, false),
        ]
        for (i, (type, t, retryable)) in steps.enumerated() {
            recorder.record(message(type, "a", at: t, id: "\(i)", retryable: retryable), received: Date())
        }
        let l = recorder.latencies
        #expect(l[.queuedToLeased]?.count == 1 && l[.queuedToLeased]?.max == .seconds(2))
        #expect(l[.leasedToRunning]?.count == 2 && l[.leasedToRunning]?.min == .milliseconds(500) && l[.leasedToRunning]?.max == .seconds(4))
        #expect(l[.runningToTerminal]?.count == 2 && l[.runningToTerminal]?.min == .seconds(1) && l[.runningToTerminal]?.max == .milliseconds(3500))
    }

    @Test func outOfOrderClocksGiveNoNegativeSamples() {
        var recorder = EventRecorder(jobIds: ["a"])
        recorder.record(message(.leased, "a", at: 10, id: "1"), received: Date())
        recorder.record(message(.running, "a", at: 9, id: "2"), received: Date())
        #expect(recorder.latencies.isEmpty)
    }

    @Test func longHistoriesKeepTheirEndsAndCountTheRest() {
        var recorder = EventRecorder(jobIds: ["a"], keep: 6)
        for i in 0..<100 { recorder.record(message(i == 0 ? .submitted : .running, "a", at: Double(i), id: "\(i)"), received: Date()) }
        let job = recorder.jobs[0]
        #expect(job.events.count == 6 && job.elided == 94 && job.keptHead == 3)
        #expect(job.events.map(\.messageId) == ["0", "1", "2", "97", "98", "99"])
        #expect(job.chain == "submitted → running → running → … (94 more) → running → running → running")
        var short = EventRecorder(jobIds: ["a"], keep: 6)
        for i in 0..<6 { short.record(message(.running, "a", at: Double(i), id: "\(i)"), received: Date()) }
        #expect(short.jobs[0].elided == 0 && short.jobs[0].events.count == 6)
        // The window of latest events is kept in order at every position of its ring.
        for n in 7...13 {
            var r = EventRecorder(jobIds: ["a"], keep: 6)
            for i in 0..<n { r.record(message(.running, "a", at: Double(i), id: "\(i)"), received: Date()) }
            #expect(r.jobs[0].events.map(\.messageId) == ["0", "1", "2"] + (n - 3..<n).map { "\($0)" }, "\(n) events")
            #expect(r.jobs[0].elided == n - 6)
        }
    }
}

extension EventRecorderTests {
    /// A retry chain of `retries` retryable failures and a terminal one, each run leased, pending and running.
    func chain(retries: Int, keep: Int = 24) -> JobTimeline {
        var recorder = EventRecorder(jobIds: ["a"], keep: keep)
        var id = 0
        func add(_ type: EventType, retryable: Bool = false) {
            recorder.record(message(type, "a", at: Double(id), id: "\(id)", retryable: retryable), received: Date())
            id += 1
        }
        add(.submitted)
        add(.queued)
        for run in 0...retries {
            add(.leased)
            add(.pending)
            add(.running)
            add(.failed, retryable: run < retries)
        }
        return recorder.jobs[0]
    }

    @Test func theTallyCountsEveryEventOfALongChain() {
        // Five retries make 26 events: more than the 24 kept, so two are elided.
        let job = chain(retries: 5)
        #expect(job.elided == 2)
        #expect(job.events.filter { $0.label == "failed(retryable)" }.count == 4) // what the kept events alone would say
        #expect(job.tally.counts["failed(retryable)"] == 5 && job.tally.counts["failed"] == 1 && job.tally.counts["leased"] == 6)
        #expect(job.runs == 6 && job.tally.total == 26)
        #expect(job.tally.failures == [EventTally.Failure(label: "failed(retryable)", category: "user_error", reason: "exit 1", count: 5),
                                       EventTally.Failure(label: "failed", category: "user_error", reason: "exit 1", count: 1)])
        // However long the chain.
        let long = chain(retries: 500)
        #expect(long.tally.counts["failed(retryable)"] == 500 && long.runs == 501 && long.events.count == 24)
    }

    @Test func distinctFailuresAreBoundedAndTheRestCounted() {
        var tally = EventTally()
        for i in 0..<20 {
            tally.add(TimelineEntry(type: "failed", time: Date(), received: Date(), messageId: "\(i)", retryable: true, reason: "node \(i % 10)\n"))
        }
        #expect(tally.failures.count == EventTally.distinctLimit && tally.otherFailures == 4)
        #expect(tally.failures[0] == EventTally.Failure(label: "failed(retryable)", category: nil, reason: "node 0", count: 2))
        #expect(tally.counts["failed(retryable)"] == 20)
    }
}

@Suite struct LatencyHistogramTests {
    @Test func percentilesAreWithinOnePercent() {
        var h = LatencyHistogram()
        var samples: [Int64] = []
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            let v = Int64.random(in: 1...5_000_000_000, using: &rng)
            samples.append(v)
            h.record(.nanoseconds(v))
        }
        samples.sort()
        for p in [0.5, 0.9, 0.99, 0.999] {
            let exact = Double(samples[Int((p * Double(samples.count)).rounded(.up)) - 1])
            let got = Double(h.percentile(p).components.attoseconds / 1_000_000_000 + h.percentile(p).components.seconds * 1_000_000_000)
            #expect(abs(got - exact) / exact < 0.01, "p\(p): \(got) vs \(exact)")
        }
        #expect(h.count == 50_000 && h.min == .nanoseconds(samples.first!) && h.max == .nanoseconds(samples.last!))
    }

    @Test func smallValuesAreExactAndMergingAdds() {
        var a = LatencyHistogram((1...10).map { .nanoseconds($0) })
        #expect(a.percentile(0.5) == .nanoseconds(5) && a.percentile(1) == .nanoseconds(10))
        let b = LatencyHistogram([.seconds(1), .seconds(2)])
        a.merge(b)
        #expect(a.count == 12 && a.max == .seconds(2) && a.min == .nanoseconds(1))
        #expect(LatencyHistogram().percentile(0.5) == .zero && LatencyHistogram().isEmpty)
        for v: Int64 in [0, 1, 63, 64, 65, 127, 128, 1000, 1 << 40] {
            let (low, high) = LatencyHistogram.range(LatencyHistogram.bucket(v))
            #expect(low <= v && v <= high, "\(v) not in [\(low), \(high)]")
        }
    }
}
