import ArmadaAPI

/// The server's write-time rules for a retry policy (REST doc §7.1, lifecycle §5.3) combined with
/// the PR #4804 rule-validity rules the simulator follows (lifecycle §0.2), so that a policy that
/// the server would reject is rejected before anything is submitted.
public enum RetryPolicyValidator {
    public static let maxNameLength = 63

    public static func validate(_ policy: RetryPolicy) -> [RetryPolicyIssue] {
        var issues: [RetryPolicyIssue] = []
        issues += validateName(policy.name, at: ["name"])
        if policy.defaultAction == .unspecified {
            issues.append(.init(at: ["defaultAction"],
                                "defaultAction is required: use \(RetryAction.acceptedNames.joined(separator: " or "))"))
        }
        for (i, rule) in policy.rules.enumerated() {
            issues += validate(rule, at: FieldPath([.key("rules"), .index(i)]))
        }
        return issues
    }

    /// An RFC 1123 label of at most 63 characters: lowercase letters, digits and `-`, starting and
    /// ending with a letter or digit.
    public static func validateName(_ name: String, at path: FieldPath) -> [RetryPolicyIssue] {
        if name.isEmpty { return [.init(at: path, "a retry policy needs a name")] }
        if name.count > maxNameLength {
            return [.init(at: path, "name \"\(name)\" is \(name.count) characters long; at most \(maxNameLength) are allowed")]
        }
        if !isRFC1123Label(name) {
            return [.init(at: path, "name \"\(name)\" is not an RFC 1123 label: use lowercase letters, digits and '-', "
                + "starting and ending with a letter or digit")]
        }
        return []
    }

    public static func isRFC1123Label(_ s: String) -> Bool {
        let chars = Array(s.utf8)
        guard let first = chars.first, let last = chars.last else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return alnum(first) && alnum(last) && chars.allSatisfy { alnum($0) || $0 == 45 }
    }

    static func validate(_ rule: RetryRule, at path: FieldPath) -> [RetryPolicyIssue] {
        var issues: [RetryPolicyIssue] = []
        if rule.action == .unspecified {
            issues.append(.init(at: path.appending("action"),
                                "action is required: use \(RetryAction.acceptedNames.joined(separator: " or "))"))
        }
        if !rule.hasMatcher && rule.onTerminationMessagePattern == nil {
            issues.append(.init(at: path, "a rule needs at least one matcher: onConditions, onExitCodes, "
                + "onTerminationMessagePattern or onCategory"))
        }
        if let sub = rule.onSubcategory, !sub.isEmpty, (rule.onCategory ?? "").isEmpty {
            issues.append(.init(at: path.appending("onSubcategory"),
                                "onSubcategory \"\(sub)\" needs onCategory: a subcategory only narrows a category"))
        }
        for (i, condition) in rule.onConditions.enumerated() where RetryCondition(rawValue: condition) == nil {
            var message = "unknown condition \"\(condition)\"; known conditions: "
                + RetryCondition.allCases.map(\.rawValue).joined(separator: ", ")
            if let close = RetryCondition.allCases.first(where: { $0.rawValue.lowercased() == condition.lowercased() }) {
                message = "unknown condition \"\(condition)\"; did you mean \"\(close.rawValue)\"? (names are case-sensitive)"
            }
            issues.append(.init(at: path.appending("onConditions").appending(index: i), message))
        }
        if let codes = rule.onExitCodes {
            let p = path.appending("onExitCodes")
            if codes.operator == .unspecified {
                issues.append(.init(at: p.appending("operator"), "operator is required: use In or NotIn"))
            }
            if codes.values.isEmpty {
                issues.append(.init(at: p.appending("values"), "values must list at least one exit code"))
            }
        }
        if let pattern = rule.onTerminationMessagePattern {
            let p = path.appending("onTerminationMessagePattern")
            if pattern.isEmpty {
                issues.append(.init(at: p, "onTerminationMessagePattern must not be empty"))
            } else if let problem = RegexCheck.problem(in: pattern) {
                issues.append(.init(at: p, "pattern \"\(pattern)\" does not compile: \(problem)"))
            }
        }
        if let mutate = rule.mutate {
            issues += validate(mutate, at: path.appending("mutate"))
            if rule.action == .fail {
                issues.append(.init(.warning, at: path.appending("mutate"), "mutate has no effect on a Fail rule"))
            }
        }
        return issues
    }

    static func validate(_ mutate: RetryMutation, at path: FieldPath) -> [RetryPolicyIssue] {
        guard let bump = mutate.resources?.memory else { return [] }
        let p = path.appending("resources").appending("memory")
        switch (bump.static, bump.factor) {
        case (nil, nil):
            return [.init(at: p, "a memory bump needs exactly one of static or factor")]
        case (.some, .some):
            return [.init(at: p, "a memory bump takes static or factor, not both")]
        case (.some(let s), nil):
            guard let q = ResourceQuantity(s) else {
                return [.init(at: p.appending("static"), "\"\(s)\" is not a Kubernetes quantity (for example 512Mi or 1Gi)")]
            }
            return q.value > 0 ? [] : [.init(at: p.appending("static"), "static must be greater than 0, got \(s)")]
        case (nil, .some(let f)):
            return f > 1.0 ? [] : [.init(at: p.appending("factor"), "factor must be greater than 1.0, got \(f)")]
        }
    }
}
