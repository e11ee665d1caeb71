/// `api.JobRunDetails` (`POST /v1/run/details`, and `jobRuns` of job details): one run of a job as
/// Armada's query database records it. Zero values are left out on output (REST doc §2.2).
public struct JobRunDetails: Sendable, Hashable, Codable {
    public var runId: String
    public var jobId: String
    public var state: JobRunState
    /// The executor (cluster) the run was leased to.
    public var cluster: String
    public var node: String
    public var leasedTs: Timestamp?
    public var pendingTs: Timestamp?
    public var startedTs: Timestamp?
    public var finishedTs: Timestamp?
    /// Container port (decimal text) → address, as the `ingressInfo` event gave it.
    public var ingressAddresses: [String: String]

    public init(runId: String, jobId: String, state: JobRunState = .unknown, cluster: String = "", node: String = "",
                leasedTs: Timestamp? = nil, pendingTs: Timestamp? = nil, startedTs: Timestamp? = nil,
                finishedTs: Timestamp? = nil, ingressAddresses: [String: String] = [:]) {
        self.runId = runId
        self.jobId = jobId
        self.state = state
        self.cluster = cluster
        self.node = node
        self.leasedTs = leasedTs
        self.pendingTs = pendingTs
        self.startedTs = startedTs
        self.finishedTs = finishedTs
        self.ingressAddresses = ingressAddresses
    }

    private enum CodingKeys: String, CodingKey {
        case runId, jobId, state, cluster, node, leasedTs, pendingTs, startedTs, finishedTs, ingressAddresses
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runId = c.lenientString(.runId)
        jobId = c.lenientString(.jobId)
        state = c.tolerant(JobRunState.self, .state) ?? .unknown
        cluster = c.lenientString(.cluster)
        node = c.lenientString(.node)
        leasedTs = c.tolerant(Timestamp.self, .leasedTs)
        pendingTs = c.tolerant(Timestamp.self, .pendingTs)
        startedTs = c.tolerant(Timestamp.self, .startedTs)
        finishedTs = c.tolerant(Timestamp.self, .finishedTs)
        ingressAddresses = c.lenientStringMap(.ingressAddresses)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonZero(runId, forKey: .runId)
        try c.encodeNonZero(jobId, forKey: .jobId)
        try c.encodeNonZero(state, forKey: .state)
        try c.encodeNonZero(cluster, forKey: .cluster)
        try c.encodeNonZero(node, forKey: .node)
        try c.encodeIfPresent(leasedTs, forKey: .leasedTs)
        try c.encodeIfPresent(pendingTs, forKey: .pendingTs)
        try c.encodeIfPresent(startedTs, forKey: .startedTs)
        try c.encodeIfPresent(finishedTs, forKey: .finishedTs)
        try c.encodeNonZero(ingressAddresses, forKey: .ingressAddresses)
    }
}
