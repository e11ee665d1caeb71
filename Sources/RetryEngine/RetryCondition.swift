/// Conditions a rule can match with `onConditions` (PR #4804 matcher set; lifecycle §0.2).
public enum RetryCondition: String, Sendable, Hashable, CaseIterable {
    case oomKilled = "OOMKilled"
    case evicted = "Evicted"
    case deadlineExceeded = "DeadlineExceeded"
    case appError = "AppError"
    case preempted = "Preempted"
    case leaseReturned = "LeaseReturned"
}
