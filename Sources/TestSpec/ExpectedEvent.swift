import ArmadaAPI

/// One entry of `expectedEvents` (or of `never:`): an event type a job must produce, in order,
/// with optional checks on its payload, its run, and how often it occurs.
public struct ExpectedEvent: Sendable, Hashable, CustomStringConvertible {
    public var type: EventType
    /// Checks on a `failed` event; nil for other types. In `expectedEvents` a `failed` entry always
    /// has one, because `retryable` is always compared there (omitted means a terminal failure).
    public var failed: FailedExpectation?
    /// How many matching events must occur before the next expectation matches; nil is upstream's
    /// meaning (the first matching event advances to the next expectation).
    public var times: Occurrences?
    /// The run the event must belong to (0 is the first run): the suffix of the pod name
    /// `armada-<jobId>-0-<runIndex>` where the event carries one, else the job's leases so far.
    public var runIndex: Int?
    /// Go regexp matched anywhere in the event's pod name.
    public var podName: String?
    /// Payload written for other event types and keys, carried as written (not checked).
    public var payload: JSONValue?
    public var location: SourceLocation?

    public init(_ type: EventType, failed: FailedExpectation? = nil, times: Occurrences? = nil, runIndex: Int? = nil,
                podName: String? = nil, payload: JSONValue? = nil, location: SourceLocation? = nil) {
        self.type = type
        self.failed = type == .failed ? (failed ?? FailedExpectation()) : nil
        self.times = times
        self.runIndex = runIndex
        self.podName = podName
        self.payload = payload
        self.location = location
    }

    /// Whether this entry can only match an event that ends the job (nothing can follow it).
    public var isTerminal: Bool {
        switch type {
        case .succeeded, .cancelled: return true
        case .failed: return failed?.retryable == false
        default: return false
        }
    }

    /// Event types that carry a pod name (Armada's event reference; `succeeded` and `leased` do not).
    public static let podNameTypes: Set<EventType> = [.pending, .running, .failed, .ingressInfo, .utilisation]

    /// Compact form: `submitted`, `failed(retryable) ×2`, `failed(oom, /OOMKilled/, exit 137, run 1)`.
    public var description: String {
        var parts: [String] = []
        if let failed {
            if let c = failed.failureCategory, !c.isEmpty {
                parts.append(failed.failureSubcategory.map { $0.isEmpty ? c : "\(c)/\($0)" } ?? c)
            }
            if let r = failed.reason, !r.isEmpty { parts.append("/\(r)/") }
            if let code = failed.exitCode { parts.append("exit \(code)") }
            if let m = failed.terminationMessage, !m.isEmpty { parts.append("message /\(m)/") }
            if failed.retryable == true { parts.append("retryable") }
        }
        if let runIndex { parts.append("run \(runIndex)") }
        if let podName, !podName.isEmpty { parts.append("pod /\(podName)/") }
        let base = parts.isEmpty ? type.rawValue : "\(type.rawValue)(\(parts.joined(separator: ", ")))"
        return times.map { "\(base) \($0.shortForm)" } ?? base
    }
}

/// The payload checks of an expected `failed` event (testcase-format §1.5, plus exit code and
/// termination message).
public struct FailedExpectation: Sendable, Hashable {
    /// Go regexp matched anywhere in the event's `reason`; empty or nil is not checked.
    public var reason: String?
    /// Exact match, checked only when non-empty.
    public var failureCategory: String?
    public var failureSubcategory: String?
    /// Compared when set. `expectedEvents` always sets it (`false` when omitted, as upstream);
    /// `never:` patterns leave it nil when not written.
    public var retryable: Bool?
    /// The first non-zero exit code of the event's container statuses (0 when none is non-zero).
    public var exitCode: Int32?
    /// Go regexp matched against each container's termination message; one must match.
    public var terminationMessage: String?

    public init(reason: String? = nil, failureCategory: String? = nil, failureSubcategory: String? = nil,
                retryable: Bool? = false, exitCode: Int32? = nil, terminationMessage: String? = nil) {
        self.reason = reason
        self.failureCategory = failureCategory
        self.failureSubcategory = failureSubcategory
        self.retryable = retryable
        self.exitCode = exitCode
        self.terminationMessage = terminationMessage
    }
}

/// How often an expected event must occur: `times: 2` or `times: {min: 1, max: 3}`.
public struct Occurrences: Sendable, Hashable, CustomStringConvertible {
    public var min: Int
    /// nil: no upper bound.
    public var max: Int?

    public init(min: Int, max: Int?) {
        self.min = min
        self.max = max
    }

    public static func exactly(_ n: Int) -> Occurrences { Occurrences(min: n, max: n) }

    /// The most `times` may ask for; a retry chain longer than this is a typo.
    public static let limit = 10_000

    public func allows(_ count: Int) -> Bool { count >= min && max.map { count <= $0 } ?? true }

    /// `exactly 2 times`, `2 to 3 times`, `at least 1 time`.
    public var description: String {
        func n(_ k: Int) -> String { k == 1 ? "1 time" : "\(k) times" }
        guard let max else { return "at least \(n(min))" }
        return max == min ? "exactly \(n(min))" : min == 0 ? "at most \(n(max))" : "\(min) to \(n(max))"
    }

    /// `×2`, `×1…3`, `×2+`.
    public var shortForm: String {
        guard let max else { return "×\(min)+" }
        return max == min ? "×\(min)" : "×\(min)…\(max)"
    }
}
