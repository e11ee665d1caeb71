import ArmadaAPI
import RetryEngine
import TestSpec

/// Decides pass or fail from the event stream (testcase-format §2.7 with the §7 fixes): per job,
/// the expected events must appear as an ordered subsequence by type; a `failed` entry also checks
/// its payload; a retryable `failed` is intermediate; a terminal event before the job's
/// expectations are met fails the test. The test passes once every distinct job has met every
/// expectation (upstream counts events, not jobs, and can pass early). Pure value; feed it events.
public struct ExpectationMatcher: Sendable {
    public let expected: [ExpectedEvent]
    /// Compiled when a `failed` event is checked (Regex is not Sendable); validated at load time.
    private let reasonPatterns: [Int: String]
    /// Job id → slot in `progress` and `lastEvents` (one hash of the id per event).
    private let slots: [String: Int]
    private var progress: [Int]
    private var lastEvents: [RecentTypes]
    /// Jobs whose every expectation is met, kept as events arrive (the check runs per event).
    public private(set) var completedJobs = 0

    public enum Outcome: Sendable, Equatable {
        case pending
        case passed
        case failed(MatchFailure)
    }

    /// - Parameter jobIds: the submitted jobs; events of other jobs are ignored.
    public init(expected: [ExpectedEvent], jobIds: some Sequence<String>) {
        self.expected = expected
        var patterns: [Int: String] = [:]
        for (i, e) in expected.enumerated() {
            if let reason = e.failed?.reason, !reason.isEmpty { patterns[i] = reason }
        }
        self.reasonPatterns = patterns
        var slots: [String: Int] = [:]
        for id in jobIds where slots[id] == nil { slots[id] = slots.count }
        self.slots = slots
        progress = Array(repeating: 0, count: slots.count)
        lastEvents = Array(repeating: RecentTypes(), count: slots.count)
        if expected.isEmpty { completedJobs = progress.count }
    }

    public var jobCount: Int { progress.count }
    public var isSatisfied: Bool { !progress.isEmpty && completedJobs == progress.count }

    public mutating func consume(_ event: EventMessage) -> Outcome {
        guard let type = event.type, let slot = slots[event.jobId] else { return isSatisfied ? .passed : .pending }
        let index = progress[slot]
        lastEvents[slot].append(type)
        if index < expected.count, expected[index].type == type {
            if let failure = checkPayload(index, event) { return .failed(failure) }
            progress[slot] = index + 1
            if index + 1 == expected.count { completedJobs += 1 }
        } else if index < expected.count, event.isTerminal {
            return .failed(.unexpectedTerminal(jobId: event.jobId, expected: expected[index].description,
                                               got: Self.describe(event)))
        }
        return isSatisfied ? .passed : .pending
    }

    /// The last 8 event types of a job, in a ring (no shifting per event).
    private struct RecentTypes: Sendable {
        private var ring: [EventType] = []
        private var next = 0

        mutating func append(_ type: EventType) {
            if ring.count < 8 {
                ring.append(type)
            } else {
                ring[next] = type
                next = (next + 1) % 8
            }
        }

        var inOrder: [EventType] { Array(ring[next...] + ring[..<next]) }
    }

    private func checkPayload(_ index: Int, _ event: EventMessage) -> MatchFailure? {
        guard let want = expected[index].failed else { return nil }
        if let pattern = reasonPatterns[index], RegexCache.contains(pattern, in: event.reason) == false {
            return .payload(jobId: event.jobId, field: "reason", expected: want.reason ?? "", got: event.reason)
        }
        if let c = want.failureCategory, !c.isEmpty, c != event.failureCategory {
            return .payload(jobId: event.jobId, field: "failureCategory", expected: c, got: event.failureCategory)
        }
        if let s = want.failureSubcategory, !s.isEmpty, s != event.failureSubcategory {
            return .payload(jobId: event.jobId, field: "failureSubcategory", expected: s, got: event.failureSubcategory)
        }
        if want.retryable != event.retryable {
            return .payload(jobId: event.jobId, field: "retryable", expected: String(want.retryable), got: String(event.retryable))
        }
        return nil
    }

    static func describe(_ e: EventMessage) -> String {
        guard e.type == .failed else { return e.type?.rawValue ?? e.typeName }
        var parts: [String] = []
        if !e.failureCategory.isEmpty { parts.append(e.failureCategory) }
        if !e.reason.isEmpty { parts.append("reason \"\(e.reason.prefix(200))\"") }
        return "failed" + (parts.isEmpty ? "" : "(\(parts.joined(separator: ", ")))")
    }

    /// Where every job stands, grouped by progress: `[submitted, leased] received but [failed(retryable),
    /// succeeded] missing for 2 job(s)`, most advanced first.
    public var progressSummary: [String] {
        var groups: [Int: Int] = [:]
        for index in progress where index < expected.count { groups[index, default: 0] += 1 }
        return groups.keys.sorted(by: >).map { index in
            let received = expected[..<index].map(\.description).joined(separator: ", ")
            let missing = expected[index...].map(\.description).joined(separator: ", ")
            return "[\(received)] received but [\(missing)] missing for \(groups[index]!) job(s)"
        }
    }

    /// The last event types seen for the jobs that are not done (at most `limit` jobs).
    public func recentEvents(limit: Int = 3) -> [String] {
        slots.filter { progress[$0.value] < expected.count }.sorted { $0.key < $1.key }.prefix(limit).map { id, slot in
            "\(id): " + lastEvents[slot].inOrder.map(\.rawValue).joined(separator: " → ")
        }
    }
}

/// Why the event stream failed a test.
public enum MatchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The job ended (succeeded, cancelled or failed terminally) before its expectations were met.
    case unexpectedTerminal(jobId: String, expected: String, got: String)
    /// A matching `failed` event had the wrong payload.
    case payload(jobId: String, field: String, expected: String, got: String)

    public var description: String {
        switch self {
        case .unexpectedTerminal(let id, let expected, let got):
            return "job \(id) ended with \(got) while \(expected) was expected next"
        case .payload(let id, let field, let expected, let got):
            return field == "reason"
                ? "job \(id): failure reason \"\(got)\" does not match /\(expected)/"
                : "job \(id): expected \(field) \"\(expected)\" but got \"\(got)\""
        }
    }
}
