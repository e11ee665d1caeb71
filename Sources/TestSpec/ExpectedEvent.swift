import ArmadaAPI

/// One entry of `expectedEvents`: an event type every job must produce, in order.
public struct ExpectedEvent: Sendable, Hashable, CustomStringConvertible {
    public var type: EventType
    /// Checks on a `failed` event; nil for other types. A `failed` entry always has one, because
    /// `retryable` is always compared (omitted means a terminal failure is expected).
    public var failed: FailedExpectation?
    /// Payload written for other event types, carried as written (not checked).
    public var payload: JSONValue?
    public var location: SourceLocation?

    public init(_ type: EventType, failed: FailedExpectation? = nil, payload: JSONValue? = nil,
                location: SourceLocation? = nil) {
        self.type = type
        self.failed = type == .failed ? (failed ?? FailedExpectation()) : nil
        self.payload = payload
        self.location = location
    }

    /// Whether this entry can only match an event that ends the job (nothing can follow it).
    public var isTerminal: Bool {
        switch type {
        case .succeeded, .cancelled: return true
        case .failed: return !(failed?.retryable ?? false)
        default: return false
        }
    }

    /// Compact form: `submitted`, `failed(retryable)`, `failed(oom, /OOMKilled/)`.
    public var description: String {
        guard let failed else { return type.rawValue }
        var parts: [String] = []
        if let c = failed.failureCategory, !c.isEmpty {
            parts.append(failed.failureSubcategory.map { $0.isEmpty ? c : "\(c)/\($0)" } ?? c)
        }
        if let r = failed.reason, !r.isEmpty { parts.append("/\(r)/") }
        if failed.retryable { parts.append("retryable") }
        return parts.isEmpty ? "failed" : "failed(\(parts.joined(separator: ", ")))"
    }
}

/// The payload checks of an expected `failed` event (testcase-format §1.5).
public struct FailedExpectation: Sendable, Hashable {
    /// RE2-style regex matched anywhere in the event's `reason`; empty or nil is not checked.
    public var reason: String?
    /// Exact match, checked only when non-empty.
    public var failureCategory: String?
    public var failureSubcategory: String?
    /// Always compared: `false` (the default) expects a terminal failure.
    public var retryable: Bool

    public init(reason: String? = nil, failureCategory: String? = nil, failureSubcategory: String? = nil,
                retryable: Bool = false) {
        self.reason = reason
        self.failureCategory = failureCategory
        self.failureSubcategory = failureSubcategory
        self.retryable = retryable
    }
}
