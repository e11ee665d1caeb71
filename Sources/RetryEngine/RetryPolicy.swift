import ArmadaAPI

/// A retry policy (`api.RetryPolicy`): the released fields plus the PR #4804 matchers that the
/// project's simulator implements (lifecycle §0.2). Codable in the gateway's JSON form: camelCase
/// keys, zero values omitted, actions as `"Fail"`/`"Retry"`; decoding is tolerant.
public struct RetryPolicy: Sendable, Hashable {
    public var name: String
    /// Retries allowed after the first failure (`retryLimit: 2` → 3 attempts).
    public var retryLimit: UInt32
    public var defaultAction: RetryAction
    public var rules: [RetryRule]

    public init(name: String, retryLimit: UInt32 = 0, defaultAction: RetryAction = .unspecified,
                rules: [RetryRule] = []) {
        self.name = name
        self.retryLimit = retryLimit
        self.defaultAction = defaultAction
        self.rules = rules
    }
}

/// One ordered rule; every matcher it sets must match (AND), the first matching rule wins.
public struct RetryRule: Sendable, Hashable {
    public var action: RetryAction
    public var onConditions: [String]
    public var onExitCodes: ExitCodeMatcher?
    public var onTerminationMessagePattern: String?
    public var onCategory: String?
    public var onSubcategory: String?
    public var mutate: RetryMutation?

    public init(action: RetryAction, onConditions: [String] = [], onExitCodes: ExitCodeMatcher? = nil,
                onTerminationMessagePattern: String? = nil, onCategory: String? = nil,
                onSubcategory: String? = nil, mutate: RetryMutation? = nil) {
        self.action = action
        self.onConditions = onConditions
        self.onExitCodes = onExitCodes
        self.onTerminationMessagePattern = onTerminationMessagePattern
        self.onCategory = onCategory
        self.onSubcategory = onSubcategory
        self.mutate = mutate
    }

    /// Whether the rule sets at least one matcher.
    public var hasMatcher: Bool {
        !onConditions.isEmpty || onExitCodes != nil || !(onTerminationMessagePattern ?? "").isEmpty
            || !(onCategory ?? "").isEmpty
    }
}

/// `onExitCodes`: the run's first non-zero exit code is (`In`) or is not (`NotIn`) one of `values`.
public struct ExitCodeMatcher: Sendable, Hashable, Codable {
    public var `operator`: ExitCodeOperator
    public var values: [Int32]

    public init(operator: ExitCodeOperator, values: [Int32]) {
        self.operator = `operator`
        self.values = values
    }
}

/// `mutate` of a Retry rule.
public struct RetryMutation: Sendable, Hashable, Codable {
    public var affinity: RetryAffinityMutation?
    public var resources: RetryResourceMutation?

    public init(affinity: RetryAffinityMutation? = nil, resources: RetryResourceMutation? = nil) {
        self.affinity = affinity
        self.resources = resources
    }
}

public struct RetryAffinityMutation: Sendable, Hashable, Codable {
    public var avoidSameNode: Bool
    public init(avoidSameNode: Bool) { self.avoidSameNode = avoidSameNode }
}

public struct RetryResourceMutation: Sendable, Hashable, Codable {
    public var memory: RetryResourceBump?
    public init(memory: RetryResourceBump? = nil) { self.memory = memory }
}

/// A memory bump: exactly one of `static` (a positive quantity added) or `factor` (> 1.0).
public struct RetryResourceBump: Sendable, Hashable, Codable {
    public var `static`: String?
    public var factor: Double?

    public init(static: String? = nil, factor: Double? = nil) {
        self.static = `static`
        self.factor = factor
    }
}
