/// Counts of every event a job produced, kept beside its (possibly shortened) timeline, so
/// summaries never count from the kept events only: per label (`failed(retryable)`), the runs (one
/// per `leased`), and the distinct failures with their counts. Bounded: at most `distinctLimit`
/// distinct failures are kept, the others only counted.
public struct EventTally: Sendable, Hashable {
    /// One kind of failure: label, category and the reason on one line.
    public struct Failure: Sendable, Hashable {
        public var label: String
        public var category: String?
        public var reason: String
        public var count: Int

        public init(label: String, category: String?, reason: String, count: Int = 1) {
            self.label = label
            self.category = category
            self.reason = reason
            self.count = count
        }
    }

    public static let distinctLimit = 8

    /// Events per label, every event counted.
    public private(set) var counts: [String: Int] = [:]
    /// Runs the job had: one per `leased` event.
    public private(set) var runs = 0
    /// Distinct failures in order of first appearance.
    public private(set) var failures: [Failure] = []
    /// Failures beyond `distinctLimit` distinct kinds, counted but not described.
    public private(set) var otherFailures = 0

    public init() {}

    public init(_ entries: some Sequence<TimelineEntry>) {
        for entry in entries { add(entry) }
    }

    public var total: Int { counts.values.reduce(0, +) }

    public mutating func add(_ entry: TimelineEntry) {
        counts[entry.label, default: 0] += 1
        if entry.type == "leased" { runs += 1 }
        guard entry.type == "failed" else { return }
        let reason = OneLine.fold(entry.reason ?? "", limit: 160)
        if let i = failures.firstIndex(where: { $0.label == entry.label && $0.category == entry.category && $0.reason == reason }) {
            failures[i].count += 1
        } else if failures.count < Self.distinctLimit {
            failures.append(Failure(label: entry.label, category: entry.category, reason: reason))
        } else {
            otherFailures += 1
        }
    }
}
