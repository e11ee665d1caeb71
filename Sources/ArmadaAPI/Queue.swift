/// `api.Queue`, as created and read through `/v1/queue`.
public struct Queue: Sendable, Hashable, Codable {
    public var name: String?
    public var priorityFactor: Double?
    public var userOwners: [String]?
    public var groupOwners: [String]?
    /// Deprecated map of resource name to fraction.
    public var resourceLimits: [String: Double]?
    public var permissions: [Permissions]?
    public var resourceLimitsByPriorityClassName: [String: PriorityClassResourceLimits]?
    public var cordoned: Bool?
    /// Deprecated list form of labels.
    public var labelsDeprecated: [String]?
    public var labels: [String: String]?
    /// Ordered retry-policy names (HEAD); only the first is evaluated.
    public var retryPolicies: [String]?
    /// Single retry-policy name of the PR #4804 prototype.
    public var retryPolicy: String?

    public init(name: String? = nil, priorityFactor: Double? = nil, userOwners: [String]? = nil,
                groupOwners: [String]? = nil, resourceLimits: [String: Double]? = nil,
                permissions: [Permissions]? = nil,
                resourceLimitsByPriorityClassName: [String: PriorityClassResourceLimits]? = nil,
                cordoned: Bool? = nil, labelsDeprecated: [String]? = nil, labels: [String: String]? = nil,
                retryPolicies: [String]? = nil, retryPolicy: String? = nil) {
        self.name = name
        self.priorityFactor = priorityFactor
        self.userOwners = userOwners
        self.groupOwners = groupOwners
        self.resourceLimits = resourceLimits
        self.permissions = permissions
        self.resourceLimitsByPriorityClassName = resourceLimitsByPriorityClassName
        self.cordoned = cordoned
        self.labelsDeprecated = labelsDeprecated
        self.labels = labels
        self.retryPolicies = retryPolicies
        self.retryPolicy = retryPolicy
    }

    /// `Queue.Permissions`: who may do what on the queue.
    public struct Permissions: Sendable, Hashable, Codable {
        public var subjects: [Subject]?
        public var verbs: [String]?
        public init(subjects: [Subject]? = nil, verbs: [String]? = nil) {
            self.subjects = subjects
            self.verbs = verbs
        }
    }

    /// `Queue.Permissions.Subject` (`kind` is `User` or `Group`).
    public struct Subject: Sendable, Hashable, Codable {
        public var kind: String?
        public var name: String?
        public init(kind: String? = nil, name: String? = nil) {
            self.kind = kind
            self.name = name
        }
    }
}

/// `PriorityClassResourceLimits` of a queue.
public struct PriorityClassResourceLimits: Sendable, Hashable, Codable {
    public var maximumResourceFraction: [String: Double]?
    public var maximumResourceFractionByPool: [String: PriorityClassPoolResourceLimits]?
    public init(maximumResourceFraction: [String: Double]? = nil,
                maximumResourceFractionByPool: [String: PriorityClassPoolResourceLimits]? = nil) {
        self.maximumResourceFraction = maximumResourceFraction
        self.maximumResourceFractionByPool = maximumResourceFractionByPool
    }
}

/// Per-pool limits inside `PriorityClassResourceLimits`.
public struct PriorityClassPoolResourceLimits: Sendable, Hashable, Codable {
    public var maximumResourceFraction: [String: Double]?
    public init(maximumResourceFraction: [String: Double]? = nil) {
        self.maximumResourceFraction = maximumResourceFraction
    }
}
