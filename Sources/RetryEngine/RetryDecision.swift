/// The engine's verdict on one failed run (lifecycle §5.5).
public struct RetryDecision: Sendable, Hashable {
    /// The decision label of `armada_scheduler_retry_policy_decisions_total`.
    public enum Label: String, Sendable, Hashable {
        case noError = "no_error"
        case failGlobalLimit = "fail_global_limit"
        case failRule = "fail_rule"
        case failDefault = "fail_default"
        case failPolicyLimit = "fail_policy_limit"
        case retry
        /// A granted retry whose grown job fits no node.
        case retryUnschedulable = "retry_unschedulable"
    }

    public var retry: Bool
    public var label: Label
    /// The engine's reason (`policy retry limit exceeded (2/2)`).
    public var reason: String
    /// The matching rule's index, nil when the default action applied.
    public var matchedRule: Int?
    /// The matched Retry rule's mutation; never set for default-action retries.
    public var mutation: RetryMutation?

    public init(retry: Bool, label: Label, reason: String, matchedRule: Int? = nil, mutation: RetryMutation? = nil) {
        self.retry = retry
        self.label = label
        self.reason = reason
        self.matchedRule = matchedRule
        self.mutation = mutation
    }

    /// The `reason` of the terminal `failed` event: `Retry policy: <reason>` and, when the run
    /// error has detail, the "Final run error" block (HEAD form, lifecycle §0.2).
    public func terminalReason(for error: RunError?) -> String {
        let detail = error?.finalRunErrorDetail ?? ""
        return "Retry policy: \(reason)" + (detail.isEmpty ? "" : "\n\nFinal run error:\n\(detail)")
    }
}
