extension RetryPolicy: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, retryLimit, defaultAction, rules
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        retryLimit = try c.decodeIfPresent(UInt32.self, forKey: .retryLimit) ?? 0
        defaultAction = try c.decodeIfPresent(RetryAction.self, forKey: .defaultAction) ?? .unspecified
        rules = try c.decodeIfPresent([RetryRule].self, forKey: .rules) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !name.isEmpty { try c.encode(name, forKey: .name) }
        if retryLimit != 0 { try c.encode(retryLimit, forKey: .retryLimit) }
        if defaultAction != .unspecified { try c.encode(defaultAction, forKey: .defaultAction) }
        if !rules.isEmpty { try c.encode(rules, forKey: .rules) }
    }
}

extension RetryRule: Codable {
    private enum CodingKeys: String, CodingKey {
        case action, onConditions, onExitCodes, onTerminationMessagePattern, onCategory, onSubcategory, mutate
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        action = try c.decodeIfPresent(RetryAction.self, forKey: .action) ?? .unspecified
        onConditions = try c.decodeIfPresent([String].self, forKey: .onConditions) ?? []
        onExitCodes = try c.decodeIfPresent(ExitCodeMatcher.self, forKey: .onExitCodes)
        onTerminationMessagePattern = try c.decodeIfPresent(String.self, forKey: .onTerminationMessagePattern)
        onCategory = try c.decodeIfPresent(String.self, forKey: .onCategory)
        onSubcategory = try c.decodeIfPresent(String.self, forKey: .onSubcategory)
        mutate = try c.decodeIfPresent(RetryMutation.self, forKey: .mutate)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if action != .unspecified { try c.encode(action, forKey: .action) }
        if !onConditions.isEmpty { try c.encode(onConditions, forKey: .onConditions) }
        try c.encodeIfPresent(onExitCodes, forKey: .onExitCodes)
        if let p = onTerminationMessagePattern, !p.isEmpty { try c.encode(p, forKey: .onTerminationMessagePattern) }
        if let v = onCategory, !v.isEmpty { try c.encode(v, forKey: .onCategory) }
        if let v = onSubcategory, !v.isEmpty { try c.encode(v, forKey: .onSubcategory) }
        try c.encodeIfPresent(mutate, forKey: .mutate)
    }
}

/// `RetryPolicyList` (`GET /v1/retry-policies`): `{}` when there are none.
public struct RetryPolicyList: Sendable, Hashable, Codable {
    public var retryPolicies: [RetryPolicy]

    public init(retryPolicies: [RetryPolicy]) { self.retryPolicies = retryPolicies }

    private enum CodingKeys: String, CodingKey { case retryPolicies }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        retryPolicies = try c.decodeIfPresent([RetryPolicy].self, forKey: .retryPolicies) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !retryPolicies.isEmpty { try c.encode(retryPolicies, forKey: .retryPolicies) }
    }
}
