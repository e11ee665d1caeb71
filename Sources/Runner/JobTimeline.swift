import ArmadaAPI
import Foundation

/// The events one job produced, in arrival order. A long history keeps its first and last events
/// and counts the ones in between (`elided`), so memory stays bounded per job; `tally` counts
/// every event, kept or not.
public struct JobTimeline: Sendable, Hashable {
    public var jobId: String
    public var events: [TimelineEntry]
    /// Events between `events[keptHead - 1]` and `events[keptHead]` that were not kept.
    public var elided: Int
    /// How many of `events` come before the gap.
    public var keptHead: Int
    /// Every event counted (labels, runs, distinct failures), including the elided ones.
    public var tally: EventTally
    /// The pod name of each run, from its `pending` event, in run order (at most `maxPodNames`).
    /// Names of Armada's form for their run (`armada-<jobId>-0-<run>`) are not stored: a job set
    /// of 10 000 jobs × 25 runs would keep 250 000 strings for the few failing jobs a test reports.
    public var podNames: [String] {
        (0..<podNameCount).map { podNameExceptions[$0] ?? "armada-\(jobId)-0-\($0)" }
    }
    public static let maxPodNames = 100
    /// How many pod names were recorded, and those not of Armada's form, by run.
    var podNameCount = 0
    var podNameExceptions: [Int: String] = [:]

    /// Records the pod name of the next run (see `podNames`).
    mutating func recordPodName(_ name: String) {
        guard podNameCount < Self.maxPodNames else { return }
        if !Self.isArmadaPodName(name, jobId: jobId, run: podNameCount) { podNameExceptions[podNameCount] = name }
        podNameCount += 1
    }

    /// Whether `name` is `armada-<jobId>-0-<run>`, compared without building that string.
    static func isArmadaPodName(_ name: String, jobId: String, run: Int) -> Bool {
        guard let rest = runPart(ofPodName: name, jobId: jobId) else { return false }
        return Int(rest) == run && rest.first != "+" && (rest.utf8.count == 1 || rest.first != "0")
    }

    /// What follows `armada-<jobId>-0-` in a pod name, nil without that prefix. Compared by UTF-8
    /// bytes: the runner asks for every event, and `Character` offsets cost a grapheme walk each.
    static func runPart(ofPodName name: String, jobId: String) -> Substring? {
        let length = 7 + jobId.utf8.count + 3 // "armada-", the id, "-0-"
        let matches = name.utf8.withContiguousStorageIfAvailable { bytes in
            guard bytes.count >= length, bytes.prefix(7).elementsEqual("armada-".utf8),
                  bytes[(length - 3)..<length].elementsEqual("-0-".utf8) else { return false }
            return jobId.utf8.withContiguousStorageIfAvailable { id in bytes[7..<(length - 3)].elementsEqual(id) }
                ?? bytes[7..<(length - 3)].elementsEqual(jobId.utf8)
        } ?? name.utf8.starts(with: ("armada-" + jobId + "-0-").utf8)
        guard matches else { return nil }
        return Substring(name.utf8[name.utf8.index(name.utf8.startIndex, offsetBy: length)...])
    }

    /// - Parameter tally: the counts of every event; computed from `events` when nil (nothing elided).
    public init(jobId: String, events: [TimelineEntry] = [], elided: Int = 0, keptHead: Int = 0, tally: EventTally? = nil) {
        self.jobId = jobId
        self.events = events
        self.elided = elided
        self.keptHead = keptHead
        self.tally = tally ?? EventTally(events)
    }

    /// Runs the job had (one per lease).
    public var runs: Int { tally.runs }

    /// `submitted → queued → leased → … (12 more) → failed`.
    public var chain: String {
        guard elided > 0 else { return events.map(\.label).joined(separator: " → ") }
        let head = events[..<keptHead].map(\.label), tail = events[keptHead...].map(\.label)
        return (head + ["… (\(elided) more)"] + tail).joined(separator: " → ")
    }
}

/// Where one job is in its runs, for the transition latencies: queued→leased once per job,
/// leased→running and running→terminal once per run (a retried job has several runs).
public struct JobTransitions: Sendable, Hashable {
    private var queued: Date?
    private var leased: Date?
    private var running: Date?
    private var firstLease = true

    public init() {}

    /// The transition this event completes, if any (negative gaps from skewed clocks are dropped).
    public mutating func observe(_ type: String, at time: Date) -> (Transition, Duration)? {
        observe(EventType(rawValue: type), at: time)
    }

    public mutating func observe(_ type: EventType?, at time: Date) -> (Transition, Duration)? {
        func sample(_ t: Transition, from start: Date?) -> (Transition, Duration)? {
            guard let start, time >= start else { return nil }
            return (t, Duration.clamped(seconds: time.timeIntervalSince(start)))
        }
        switch type {
        case .queued? where firstLease:
            queued = queued ?? time
            return nil
        case .leased?:
            let s = firstLease ? sample(.queuedToLeased, from: queued) : nil
            firstLease = false
            leased = time
            return s
        case .running?:
            defer {
                leased = nil
                running = time
            }
            return sample(.leasedToRunning, from: leased)
        case .succeeded?, .failed?, .cancelled?, .preempted?:
            defer {
                running = nil
                leased = nil
            }
            return sample(.runningToTerminal, from: running)
        default:
            return nil
        }
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
