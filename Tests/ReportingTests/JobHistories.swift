import ArmadaAPI
import Foundation
import Runner

/// Event streams of jobs as Armada sends them, fed through the runner's `EventRecorder`, for the
/// HTML report tests: retried runs with pods, nodes and exit codes, terminal failures.
enum JobHistories {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)

    /// How a run ends.
    enum Ending { case retried(exit: Int32), terminal(exit: Int32, reason: String), succeeded, preemptedThenRetried }

    /// One job's events: submitted, queued, then per ending a run (leased → pending → running →
    /// ending), `step` seconds apart, from `start`.
    static func events(jobId: String, runs: [Ending], start: Date = t0, step: Double = 0.5) -> [EventStreamMessage] {
        var out: [EventStreamMessage] = []
        var clock = start
        func add(_ type: EventType, _ edit: (inout EventMessage) -> Void = { _ in }) {
            var m = EventMessage(type, jobId: jobId, jobSetId: "set", queue: "q", created: Timestamp(clock))
            edit(&m)
            out.append(EventStreamMessage(id: "\(out.count + 1)-\(jobId)", message: m))
            clock = clock.addingTimeInterval(step)
        }
        add(.submitted)
        add(.queued)
        for (run, ending) in runs.enumerated() {
            let pod = "armada-\(jobId)-0-\(run)", node = "node-\(run % 3 + 1)"
            add(.leased) { $0.clusterId = "cluster-a" }
            add(.pending) { $0.podName = pod }
            add(.running) {
                $0.podName = pod
                $0.nodeName = node
            }
            func failed(_ m: inout EventMessage, exit: Int32, reason: String, retryable: Bool) {
                m.podName = pod
                m.nodeName = node
                m.reason = reason
                m.containerStatuses = [ContainerStatus(name: "main", exitCode: exit, reason: "Error")]
                m.failureCategory = "user_error"
                m.retryable = retryable
            }
            switch ending {
            case .retried(let exit): add(.failed) { failed(&$0, exit: exit, reason: "Container main failed with exit code \(exit)", retryable: true) }
            case .terminal(let exit, let reason): add(.failed) { failed(&$0, exit: exit, reason: reason, retryable: false) }
            case .succeeded: add(.succeeded) { $0.nodeName = node }
            case .preemptedThenRetried:
                add(.preempted) { $0.reason = "preempted by a higher priority job" }
                add(.failed) {
                    $0.reason = "preempted by a higher priority job"
                    $0.retryable = true
                }
            }
        }
        return out
    }

    /// The timeline the runner would report for `events`.
    static func timeline(_ events: [EventStreamMessage], keep: Int = 24) -> JobTimeline {
        var recorder = EventRecorder(jobIds: [events[0].message.jobId], keep: keep)
        for e in events { recorder.record(e, received: e.message.created?.date ?? t0) }
        return recorder.jobs[0]
    }

    /// `count` jobs, most retried twice then succeeding, every tenth failing for good.
    static func result(jobs count: Int, name: String = "many-retries", outcome: TestResult.Outcome = .passed) -> TestResult {
        var recorder = EventRecorder(jobIds: (0..<count).map { "job-\($0)" })
        for i in 0..<count {
            let runs: [Ending] = i % 10 == 9
                ? [.retried(exit: 1), .retried(exit: 1), .terminal(exit: 2, reason: "Retry policy: policy retry limit exceeded (2/2)")]
                : [.retried(exit: 1), .retried(exit: 137), .succeeded]
            for e in events(jobId: "job-\(i)", runs: runs, start: t0.addingTimeInterval(Double(i) * 0.01)) {
                recorder.record(e, received: e.message.created?.date ?? t0)
            }
        }
        return TestResult(name: name, file: "testcases/retries/\(name).yaml", folder: "retries", jobSetId: "\(name)-abc", queue: "q-abc",
                          policies: ["p-abc"], outcome: outcome, started: t0, duration: .seconds(12), log: ["submitted \(count) jobs"],
                          jobs: recorder.jobs, latencies: recorder.latencies, eventsReceived: count * 11)
    }
}
