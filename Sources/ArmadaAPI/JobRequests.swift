/// `JobCancelRequest` (`POST /v1/job/cancel`).
public struct JobCancelRequest: Sendable, Hashable, Codable {
    public var jobId: String?
    public var jobSetId: String?
    public var queue: String?
    public var jobIds: [String]?
    public var reason: String?

    public init(jobId: String? = nil, jobSetId: String? = nil, queue: String? = nil, jobIds: [String]? = nil,
                reason: String? = nil) {
        self.jobId = jobId
        self.jobSetId = jobSetId
        self.queue = queue
        self.jobIds = jobIds
        self.reason = reason
    }
}

/// `JobSetFilter` of a job-set cancel.
public struct JobSetFilter: Sendable, Hashable, Codable {
    public var states: [JobState]?
    public init(states: [JobState]? = nil) { self.states = states }
}

/// `JobSetCancelRequest` (`POST /v1/jobset/cancel`).
public struct JobSetCancelRequest: Sendable, Hashable, Codable {
    public var jobSetId: String?
    public var queue: String?
    public var filter: JobSetFilter?
    public var reason: String?

    public init(jobSetId: String? = nil, queue: String? = nil, filter: JobSetFilter? = nil, reason: String? = nil) {
        self.jobSetId = jobSetId
        self.queue = queue
        self.filter = filter
        self.reason = reason
    }
}

/// `JobPreemptRequest` (`POST /v1/job/preempt`).
public struct JobPreemptRequest: Sendable, Hashable, Codable {
    public var queue: String?
    public var jobSetId: String?
    public var jobIds: [String]?
    public var reason: String?

    public init(queue: String? = nil, jobSetId: String? = nil, jobIds: [String]? = nil, reason: String? = nil) {
        self.queue = queue
        self.jobSetId = jobSetId
        self.jobIds = jobIds
        self.reason = reason
    }
}

/// `JobReprioritizeRequest` (`POST /v1/job/reprioritize`).
public struct JobReprioritizeRequest: Sendable, Hashable, Codable {
    public var jobIds: [String]?
    public var jobSetId: String?
    public var queue: String?
    public var newPriority: Double?

    public init(jobIds: [String]? = nil, jobSetId: String? = nil, queue: String? = nil, newPriority: Double? = nil) {
        self.jobIds = jobIds
        self.jobSetId = jobSetId
        self.queue = queue
        self.newPriority = newPriority
    }
}

/// `NodeCancelRequest` (gRPC `api.Node/CancelOnNode`; not served over REST).
public struct NodeCancelRequest: Sendable, Hashable, Codable {
    public var name: String?
    public var executor: String?
    public var queues: [String]?
    public var priorityClasses: [String]?

    public init(name: String? = nil, executor: String? = nil, queues: [String]? = nil,
                priorityClasses: [String]? = nil) {
        self.name = name
        self.executor = executor
        self.queues = queues
        self.priorityClasses = priorityClasses
    }
}

/// `NodePreemptRequest` has the same fields as `NodeCancelRequest`.
public typealias NodePreemptRequest = NodeCancelRequest
