/// One event of a job-set stream (`EventMessage`, REST doc §5): the oneof member (`type`) and
/// its payload. Every variant's fields live in one value; only the fields that belong to `type`
/// are written, in the server's order, zero values omitted, so encoding matches the gateway by
/// construction. Decoding is tolerant: unknown keys are ignored, a variant this client does not
/// know keeps its name in `typeName` with `type == nil`.
public struct EventMessage: Sendable, Hashable {
    public var type: EventType?
    /// The JSON key of the variant, as received.
    public var typeName: String

    // Every variant.
    public var jobId = ""
    public var jobSetId = ""
    public var queue = ""
    public var created: Timestamp?

    // Run and pod identity.
    public var clusterId = ""
    public var kubernetesId = ""
    public var nodeName = ""
    public var podNumber: Int32 = 0
    public var podName = ""
    public var podNamespace = ""
    public var pool = ""

    // failed, leaseReturned, cancel*, preempt*.
    public var reason = ""
    /// Deprecated and never filled by the server; exit codes are in `containerStatuses`.
    public var exitCodes: [String: Int32] = [:]
    public var containerStatuses: [ContainerStatus] = []
    public var cause: Cause = .error
    public var failureCategory = ""
    public var failureSubcategory = ""
    /// The retry engine will run the job again: more events follow for the same job id.
    public var retryable = false
    public var runAttempted = false

    // reprioritiz*, cancel*, preempt*.
    public var newPriority: Double = 0
    public var requestor = ""

    // preempted.
    public var runId = ""
    public var preemptingJobId = ""
    public var preemptiveRunId = ""

    // utilisation (PascalCase keys on the wire, as the proto writes them).
    public var maxResourcesForPeriod: [String: String] = [:]
    public var avgResourcesForPeriod: [String: String] = [:]
    public var totalCumulativeUsage: [String: String] = [:]

    // ingressInfo: port → address.
    public var ingressAddresses: [String: String] = [:]

    // submitted.
    public var job: Job?

    public init(_ type: EventType, jobId: String = "", jobSetId: String = "", queue: String = "", created: Timestamp? = nil) {
        self.type = type
        self.typeName = type.rawValue
        self.jobId = jobId
        self.jobSetId = jobSetId
        self.queue = queue
        self.created = created
    }

    public init(unknown typeName: String) {
        self.type = nil
        self.typeName = typeName
    }

    /// A failure that ends the job: `failed` without `retryable`.
    public var isTerminalFailure: Bool { type == .failed && !retryable }

    /// Whether the event ends the job: succeeded, cancelled, or a non-retryable failed.
    public var isTerminal: Bool { type == .succeeded || type == .cancelled || isTerminalFailure }

    /// First non-zero container exit code (0 when none).
    public var firstNonZeroExitCode: Int32 { containerStatuses.first { $0.exitCode != 0 }?.exitCode ?? 0 }

    enum Field: String, CodingKey, CaseIterable {
        case jobId, jobSetId, queue, created, job, clusterId, pool, reason, kubernetesId, podNumber, runAttempted
        case podName, podNamespace, nodeName, exitCodes, containerStatuses, cause, failureCategory, failureSubcategory
        case retryable, newPriority, requestor, runId, preemptingJobId, preemptiveRunId, ingressAddresses
        case maxResourcesForPeriod = "MaxResourcesForPeriod"
        case avgResourcesForPeriod = "AvgResourcesForPeriod"
        case totalCumulativeUsage
    }

    /// The payload fields of each variant after `jobId, jobSetId, queue, created`, in proto order.
    static func fields(of type: EventType) -> [Field] {
        let pod: [Field] = [.clusterId, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace]
        switch type {
        case .submitted: return [.job]
        case .queued, .leaseExpired: return []
        case .leased: return [.clusterId, .pool]
        case .leaseReturned: return [.clusterId, .reason, .kubernetesId, .podNumber, .runAttempted]
        case .pending: return [.clusterId, .kubernetesId, .podNumber, .podName, .podNamespace, .pool]
        case .running: return pod + [.pool]
        case .failed:
            return [.clusterId, .reason, .exitCodes, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace,
                    .containerStatuses, .cause, .failureCategory, .failureSubcategory, .retryable]
        case .succeeded: return pod
        case .reprioritizing, .reprioritized: return [.newPriority, .requestor]
        case .cancelling, .cancelled: return [.requestor, .reason]
        case .utilisation: return pod + [.maxResourcesForPeriod, .avgResourcesForPeriod, .totalCumulativeUsage]
        case .ingressInfo: return pod + [.ingressAddresses]
        case .preempted: return [.runId, .clusterId, .reason, .preemptingJobId, .preemptiveRunId, .requestor]
        case .preempting: return [.requestor, .reason]
        }
    }
}
