import ArmadaAPI
import Foundation

/// The benchmark recorder: keeps every watched job's events with the server's creation time and
/// the stream's message id, for the JSON report's timelines and transition latencies. Pure value.
public struct EventRecorder: Sendable {
    private var index: [String: Int]
    private var timelines: [JobTimeline]

    /// - Parameter jobIds: the submitted jobs, in submission order; events of other jobs are ignored.
    public init(jobIds: some Sequence<String>) {
        var index: [String: Int] = [:]
        var timelines: [JobTimeline] = []
        for id in jobIds where index[id] == nil {
            index[id] = timelines.count
            timelines.append(JobTimeline(jobId: id))
        }
        self.index = index
        self.timelines = timelines
    }

    public mutating func record(_ message: EventStreamMessage, received: Date) {
        let event = message.message
        guard let i = index[event.jobId] else { return }
        var entry = TimelineEntry(type: event.type?.rawValue ?? event.typeName, time: event.created?.date ?? received,
                                  received: received, messageId: message.id)
        if event.type == .failed {
            entry.retryable = event.retryable
            entry.reason = event.reason.isEmpty ? nil : String(event.reason.prefix(500))
            entry.category = event.failureCategory.isEmpty ? nil : event.failureCategory
        }
        timelines[i].events.append(entry)
    }

    public var jobs: [JobTimeline] { timelines }
}
