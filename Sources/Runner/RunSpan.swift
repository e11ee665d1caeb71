import Foundation

/// One run of a job as its kept events show it — when it was leased, pending and running, the
/// event that ended it, the node, the pod and the failure Armada decided on — for reports that
/// draw a job run by run (`JobTimeline.runSpans`). Pure value.
public struct RunSpan: Sendable, Hashable {
    /// The run's index (0 for the first lease), nil for what happened before any lease (a job
    /// rejected or cancelled while queued) or after a gap whose leases were not kept.
    public var index: Int?
    public var leased: Date?
    public var pending: Date?
    public var running: Date?
    /// The event that ended the run: `failed`, `succeeded`, `cancelled`, `preempted`,
    /// `leaseReturned` or `leaseExpired`; nil while it was still going when the events ended.
    public var end: TimelineEntry?
    /// The run's `failed` event: its end, or the one Armada sends after `preempted` or
    /// `leaseExpired` to say whether it runs the job again.
    public var failure: TimelineEntry?
    public var node: String?
    public var podName: String?
    /// Events of the job that were not kept just before this run (the timeline's gap), else 0.
    public var elidedBefore = 0
    /// The events do not show how the run ended: it went on in events that were not kept (the
    /// gap), or the next lease came without an ending.
    public var cut = false

    public init(index: Int?) { self.index = index }

    /// When the run started: its lease, else its first event.
    public var start: Date? { leased ?? pending ?? running ?? end?.time ?? failure?.time }
    /// When the run ended: its failure's time when that came last, else its end's.
    public var finish: Date? { [end?.time, failure?.time].compactMap { $0 }.max() }
    /// The ending's label: `failed(retryable)`, `succeeded`, `preempted`, … (nil while open).
    public var outcome: String? { end?.label }

    /// What happened next for this run's job.
    public enum Decision: Sendable, Hashable {
        /// A `failed{retryable: true}`: Armada runs the job again.
        case retried
        /// A terminal `failed`: no more runs (its reason says why, e.g. the matched rule).
        case notRetried
        /// The lease went back (`leaseReturned`, or `preempted`/`leaseExpired` without a failure
        /// yet): the job is scheduled again unless a later event says otherwise.
        case returned
        /// Succeeded, cancelled, or still open.
        case none
    }

    public var decision: Decision {
        if let failure { return failure.retryable == true ? .retried : .notRetried }
        switch end?.type {
        case "leaseReturned"?, "preempted"?, "leaseExpired"?: return .returned
        default: return .none
        }
    }

    /// The spans of a timeline's kept events; its counts (`runs`, the tally's `pending`) give the
    /// runs after a gap their true index and pod name.
    static func spans(of timeline: JobTimeline) -> [RunSpan] {
        var spans: [RunSpan] = []
        var leases = 0, pendings = 0
        let podNames = timeline.podNames
        var afterGap = 0
        let events = timeline.events
        for (i, e) in events.enumerated() {
            if timeline.elided > 0, i == timeline.keptHead {
                let tail = events[i...]
                leases = max(leases, timeline.runs - tail.count(where: { $0.type == "leased" }))
                pendings = max(pendings, (timeline.tally.counts["pending"] ?? 0) - tail.count(where: { $0.type == "pending" }))
                if let last = spans.indices.last, spans[last].end == nil { spans[last].cut = true }
                afterGap = timeline.elided
            }
            func current(_ make: Bool) -> Int? {
                if let last = spans.indices.last, spans[last].end == nil, !spans[last].cut { return last }
                guard make else { return nil }
                // Without its lease: the run the gap cut into, or (no gap) before any lease or out of order.
                var span = RunSpan(index: afterGap > 0 && leases > 0 ? leases - 1 : nil)
                span.elidedBefore = afterGap
                afterGap = 0
                spans.append(span)
                return spans.count - 1
            }
            switch e.type {
            case "leased":
                var span = RunSpan(index: leases)
                span.leased = e.time
                span.elidedBefore = afterGap
                afterGap = 0
                if let open = current(false) { spans[open].cut = true }
                spans.append(span)
                leases += 1
            case "pending":
                let s = current(true)!
                spans[s].pending = spans[s].pending ?? e.time
                if pendings < podNames.count { spans[s].podName = podNames[pendings] }
                pendings += 1
            case "running":
                let s = current(true)!
                spans[s].running = spans[s].running ?? e.time
                spans[s].node = e.node ?? spans[s].node
            case "failed":
                if let s = current(false) {
                    spans[s].end = e
                    spans[s].failure = e
                    spans[s].node = spans[s].node ?? e.node
                } else if let last = spans.indices.last, spans[last].failure == nil,
                          ["preempted", "leaseExpired", "leaseReturned"].contains(spans[last].end?.type ?? "") {
                    spans[last].failure = e
                } else {
                    let s = current(true)!
                    spans[s].end = e
                    spans[s].failure = e
                }
            case "succeeded", "preempted", "leaseReturned", "leaseExpired":
                let s = current(true)!
                spans[s].end = e
                spans[s].node = spans[s].node ?? e.node
            case "cancelled":
                if let s = current(false) { spans[s].end = e }
            default:
                break
            }
        }
        return spans
    }
}

extension JobTimeline {
    /// The job's runs, one span per lease in order (see `RunSpan`).
    public var runSpans: [RunSpan] { RunSpan.spans(of: self) }
}
