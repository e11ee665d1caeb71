import ArmadaAPI
import Foundation

/// The benchmark recorder: each watched job's events with the server's creation time and the
/// stream's message id (the first and last `keep / 2` of a long history), and the transition
/// latencies of every job and run in histograms, so its memory grows with jobs, not with events.
/// Pure value.
public struct EventRecorder: Sendable {
    private struct Job: Sendable {
        var timeline: JobTimeline
        var transitions = JobTransitions()
        /// Once the timeline is full, the events after `keptHead` are a ring (no shifting per
        /// event); its oldest entry is at `keptHead + oldest`.
        var oldest = 0

        var ordered: JobTimeline {
            guard oldest > 0 else { return timeline }
            var t = timeline
            let split = t.keptHead + oldest
            t.events = Array(t.events[..<t.keptHead]) + Array(t.events[split...]) + Array(t.events[t.keptHead..<split])
            return t
        }
    }

    private var index: [String: Int]
    private var jobs_: [Job]
    public private(set) var latencies: [Transition: LatencyHistogram] = [:]
    /// Events kept per job at most.
    public let keep: Int

    /// - Parameter jobIds: the submitted jobs, in submission order; events of other jobs are ignored.
    public init(jobIds: some Sequence<String>, keep: Int = 24) {
        var index: [String: Int] = [:]
        var jobs: [Job] = []
        for id in jobIds where index[id] == nil {
            index[id] = jobs.count
            jobs.append(Job(timeline: JobTimeline(jobId: id)))
        }
        self.index = index
        self.jobs_ = jobs
        self.keep = max(2, keep)
    }

    public mutating func record(_ message: EventStreamMessage, received: Date) {
        let event = message.message
        guard let i = index[event.jobId] else { return }
        let type = event.type?.rawValue ?? event.typeName
        let time = event.created?.date ?? received
        if let (transition, latency) = jobs_[i].transitions.observe(event.type, at: time) {
            latencies[transition, default: LatencyHistogram()].record(latency)
        }
        var entry = TimelineEntry(type: type, time: time, received: received, messageId: message.id)
        switch event.type {
        case .failed?:
            entry.details = TimelineEntry.Detail(
                retryable: event.retryable,
                reason: Self.kept(event.reason, limit: 500),
                category: event.failureCategory.isEmpty ? nil : event.failureCategory,
                subcategory: event.failureSubcategory.isEmpty ? nil : event.failureSubcategory,
                exitCode: event.containerStatuses.isEmpty ? nil : event.firstNonZeroExitCode,
                node: Self.kept(event.nodeName, limit: 253))
        case .running?, .succeeded?:
            if let node = Self.kept(event.nodeName, limit: 253) { entry.details = TimelineEntry.Detail(node: node) }
        default:
            break
        }
        if event.type == .pending { jobs_[i].timeline.recordPodName(event.podName) }
        jobs_[i].timeline.tally.add(entry)
        Self.append(entry, to: &jobs_[i], keep: keep)
    }

    /// A text field as kept: nil when empty, shortened in the middle beyond `limit` (a reason up to
    /// 500, a node name up to 253 characters, as Kubernetes allows). `OneLine.shorten` returns a
    /// text within the limit as it is, without counting its characters.
    private static func kept(_ text: String, limit: Int) -> String? {
        text.isEmpty ? nil : OneLine.shorten(text, limit: limit)
    }

    /// Appends, keeping the first `keep / 2` events and a window of the latest ones.
    private static func append(_ entry: TimelineEntry, to job: inout Job, keep: Int) {
        let head = keep / 2
        if job.timeline.events.count < keep {
            job.timeline.events.append(entry)
            if job.timeline.elided == 0 { job.timeline.keptHead = job.timeline.events.count }
            return
        }
        if job.timeline.elided == 0 { job.timeline.keptHead = head }
        job.timeline.events[head + job.oldest] = entry // overwrites the oldest of the window
        job.oldest = (job.oldest + 1) % (keep - head)
        job.timeline.elided += 1
    }

    public var jobs: [JobTimeline] { jobs_.map(\.ordered) }
}
