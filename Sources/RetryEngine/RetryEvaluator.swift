/// `Evaluate(policy, runError, failures)` with the PR #4804 matchers and HEAD's budget rules
/// (lifecycle §0.2, §5.5, §5.14). Pure.
public enum RetryEvaluator {
    /// - Parameters:
    ///   - failures: counted failed runs of the job, the evaluated one included (§5.7).
    ///   - globalMaxRetries: the scheduler-wide cap; 0 is the kill switch.
    public static func evaluate(_ policy: RetryPolicy, error: RunError?, failures: Int, globalMaxRetries: Int) -> RetryDecision {
        guard let error else { return RetryDecision(retry: false, label: .noError, reason: "no error information available") }
        if globalMaxRetries == 0 {
            return RetryDecision(retry: false, label: .failGlobalLimit, reason: "global max retries is 0, retries disabled")
        }
        // Preemptions and lease returns never count towards the budgets, so neither limit applies
        // to them (lifecycle §0.2); the kill switch still does.
        let budgeted = error.kind != .preempted && error.kind != .leaseReturned
        let used = max(failures - 1, 0)
        if budgeted, used >= globalMaxRetries {
            return RetryDecision(retry: false, label: .failGlobalLimit,
                                 reason: "global max retries exceeded (\(used)/\(globalMaxRetries))")
        }
        let matched = firstMatchingRule(policy, error)
        let action = matched.map { policy.rules[$0].action } ?? policy.defaultAction
        let why = matched == nil ? "no rule matched, using default action" : "matched rule: \(action.shortName)"
        if action != .retry {
            return RetryDecision(retry: false, label: matched == nil ? .failDefault : .failRule, reason: why, matchedRule: matched)
        }
        if budgeted, used >= Int(policy.retryLimit) {
            return RetryDecision(retry: false, label: .failPolicyLimit,
                                 reason: "policy retry limit exceeded (\(used)/\(policy.retryLimit))", matchedRule: matched)
        }
        return RetryDecision(retry: true, label: .retry, reason: why, matchedRule: matched,
                             mutation: matched.flatMap { policy.rules[$0].mutate })
    }

    /// Top-down; the first rule whose every set matcher matches.
    public static func firstMatchingRule(_ policy: RetryPolicy, _ error: RunError) -> Int? {
        policy.rules.firstIndex { matches($0, error) }
    }

    /// All matchers set in the rule must match (AND); a rule with none never matches.
    public static func matches(_ rule: RetryRule, _ error: RunError) -> Bool {
        guard rule.hasMatcher else { return false }
        if !rule.onConditions.isEmpty {
            guard let condition = error.condition, rule.onConditions.contains(condition.rawValue) else { return false }
        }
        if let codes = rule.onExitCodes {
            let code = error.exitCode
            guard code != 0 else { return false } // exit code 0 never matches, for In and NotIn
            switch codes.operator {
            case .in: guard codes.values.contains(code) else { return false }
            case .notIn: guard !codes.values.contains(code) else { return false }
            case .unspecified: return false
            }
        }
        if let pattern = rule.onTerminationMessagePattern, !pattern.isEmpty {
            let message = error.terminationMessage
            guard !message.isEmpty, RegexCache.contains(pattern, in: message) == true else { return false }
        }
        if let category = rule.onCategory, !category.isEmpty {
            guard error.category == category else { return false }
            if let sub = rule.onSubcategory, !sub.isEmpty, error.subcategory != sub { return false }
        }
        return true
    }
}
