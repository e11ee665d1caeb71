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
        if let (transition, latency) = jobs_[i].transitions.observe(type, at: time) {
            latencies[transition, default: LatencyHistogram()].record(latency)
        }
        var entry = TimelineEntry(type: type, time: time, received: received, messageId: message.id)
        if event.type == .failed {
            entry.retryable = event.retryable
            entry.reason = event.reason.isEmpty ? nil : String(event.reason.prefix(500))
            entry.category = event.failureCategory.isEmpty ? nil : event.failureCategory
        }
        Self.append(entry, to: &jobs_[i].timeline, keep: keep)
    }

    /// Appends, keeping the first `keep / 2` events and a window of the latest ones.
    static func append(_ entry: TimelineEntry, to timeline: inout JobTimeline, keep: Int) {
        let head = keep / 2
        if timeline.events.count < keep {
            timeline.events.append(entry)
            if timeline.elided == 0 { timeline.keptHead = timeline.events.count }
            return
        }
        if timeline.elided == 0 { timeline.keptHead = head }
        timeline.events.remove(at: head)
        timeline.events.append(entry)
        timeline.elided += 1
    }

    public var jobs: [JobTimeline] { jobs_.map(\.timeline) }
}
