/// `api.JobDetails` (`POST /v1/job/details`): a job as Armada's query database records it, with
/// its spec and runs when asked for (`expandJobSpec`, `expandJobRun`). Zero values are left out on
/// output, so `state` is absent for QUEUED (REST doc §3.12).
public struct JobDetails: Sendable, Hashable, Codable {
    public var jobId: String
    public var queue: String
    public var jobset: String
    public var namespace: String
    public var state: JobState
    public var submittedTs: Timestamp?
    public var cancelTs: Timestamp?
    public var cancelReason: String
    public var cancelUser: String
    public var lastTransitionTs: Timestamp?
    public var latestRunId: String
    public var jobSpec: Job?
    /// In the order they were leased.
    public var jobRuns: [JobRunDetails]

    public init(jobId: String, queue: String = "", jobset: String = "", namespace: String = "", state: JobState = .queued,
                submittedTs: Timestamp? = nil, cancelTs: Timestamp? = nil, cancelReason: String = "", cancelUser: String = "",
                lastTransitionTs: Timestamp? = nil, latestRunId: String = "", jobSpec: Job? = nil, jobRuns: [JobRunDetails] = []) {
        self.jobId = jobId
        self.queue = queue
        self.jobset = jobset
        self.namespace = namespace
        self.state = state
        self.submittedTs = submittedTs
        self.cancelTs = cancelTs
        self.cancelReason = cancelReason
        self.cancelUser = cancelUser
        self.lastTransitionTs = lastTransitionTs
        self.latestRunId = latestRunId
        self.jobSpec = jobSpec
        self.jobRuns = jobRuns
    }

    private enum CodingKeys: String, CodingKey {
        case jobId, queue, jobset, namespace, state, submittedTs, cancelTs, cancelReason, cancelUser, lastTransitionTs
        case latestRunId, jobSpec, jobRuns
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        jobId = c.lenientString(.jobId)
        queue = c.lenientString(.queue)
        jobset = c.lenientString(.jobset)
        namespace = c.lenientString(.namespace)
        state = c.tolerant(JobState.self, .state) ?? .queued
        submittedTs = c.tolerant(Timestamp.self, .submittedTs)
        cancelTs = c.tolerant(Timestamp.self, .cancelTs)
        cancelReason = c.lenientString(.cancelReason)
        cancelUser = c.lenientString(.cancelUser)
        lastTransitionTs = c.tolerant(Timestamp.self, .lastTransitionTs)
        latestRunId = c.lenientString(.latestRunId)
        jobSpec = c.tolerant(Job.self, .jobSpec)
        jobRuns = c.tolerant([JobRunDetails].self, .jobRuns) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonZero(jobId, forKey: .jobId)
        try c.encodeNonZero(queue, forKey: .queue)
        try c.encodeNonZero(jobset, forKey: .jobset)
        try c.encodeNonZero(namespace, forKey: .namespace)
        try c.encodeNonZero(state, forKey: .state)
        try c.encodeIfPresent(submittedTs, forKey: .submittedTs)
        try c.encodeIfPresent(cancelTs, forKey: .cancelTs)
        try c.encodeNonZero(cancelReason, forKey: .cancelReason)
        try c.encodeNonZero(cancelUser, forKey: .cancelUser)
        try c.encodeIfPresent(lastTransitionTs, forKey: .lastTransitionTs)
        try c.encodeNonZero(latestRunId, forKey: .latestRunId)
        try c.encodeIfPresent(jobSpec, forKey: .jobSpec)
        try c.encodeNonZero(jobRuns, forKey: .jobRuns)
    }
}
