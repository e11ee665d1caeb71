import Foundation

/// One event of a job as the runner saw it.
public struct TimelineEntry: Sendable, Hashable {
    /// The event type (`failed`), or the gateway's name for a type this build does not know.
    public var type: String
    /// When the server created the event (its `created` field), or when it arrived if it has none.
    public var time: Date
    public var received: Date
    /// The stream's message id, a resume cursor.
    public var messageId: String
    /// `failed` only: whether Armada will retry the job, and the failure's reason and category.
    public var retryable: Bool?
    public var reason: String?
    public var category: String?

    public init(type: String, time: Date, received: Date, messageId: String, retryable: Bool? = nil,
                reason: String? = nil, category: String? = nil) {
        self.type = type
        self.time = time
        self.received = received
        self.messageId = messageId
        self.retryable = retryable
        self.reason = reason
        self.category = category
    }

    /// `failed(retryable)` for a retryable failure, else the type.
    public var label: String { retryable == true ? "failed(retryable)" : type }
}

/// Every event one job produced, in arrival order.
public struct JobTimeline: Sendable, Hashable {
    public var jobId: String
    public var events: [TimelineEntry]

    public init(jobId: String, events: [TimelineEntry] = []) {
        self.jobId = jobId
        self.events = events
    }

    /// `submitted → queued → leased → …`.
    public var chain: String { events.map(\.label).joined(separator: " → ") }

    /// The job's state-transition latencies from the server's event times: queued→leased once per
    /// job, leased→running and running→terminal once per run (a retried job has several runs).
    public var transitions: [(Transition, Duration)] {
        var out: [(Transition, Duration)] = []
        var queued: Date?, leased: Date?, running: Date?
        var firstLease = true
        func sample(_ t: Transition, from start: Date?, to end: Date) {
            guard let start, end >= start else { return }
            out.append((t, .nanoseconds(Int64((end.timeIntervalSince(start) * 1e9).rounded()))))
        }
        for e in events {
            switch e.type {
            case "queued" where firstLease: queued = queued ?? e.time
            case "leased":
                if firstLease { sample(.queuedToLeased, from: queued, to: e.time) }
                firstLease = false
                leased = e.time
            case "running":
                sample(.leasedToRunning, from: leased, to: e.time)
                leased = nil
                running = e.time
            case "succeeded", "failed", "cancelled", "preempted":
                sample(.runningToTerminal, from: running, to: e.time)
                running = nil
                leased = nil
            default: break
            }
        }
        return out
    }
}

/// The state changes whose latency the benchmark reports.
public enum Transition: String, Sendable, CaseIterable {
    case queuedToLeased = "queued→leased"
    case leasedToRunning = "leased→running"
    case runningToTerminal = "running→terminal"

    /// The JSON key (`queuedToLeased`).
    public var key: String {
        switch self {
        case .queuedToLeased: "queuedToLeased"
        case .leasedToRunning: "leasedToRunning"
        case .runningToTerminal: "runningToTerminal"
        }
    }
}
