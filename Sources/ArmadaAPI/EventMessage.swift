/// One event of a job-set stream (`EventMessage`, REST doc §5): the oneof member (`type`) and
/// its payload. Every variant's fields live in one value; only the fields that belong to `type`
/// are written, in the server's order, zero values omitted, so encoding matches the gateway by
/// construction. Decoding is tolerant: unknown keys are ignored, a variant this client does not
/// know keeps its name in `typeName` with `type == nil`.
public struct EventMessage: Sendable, Hashable {
    public var type: EventType?
    /// The JSON key of the variant, as received.
    public var typeName: String { get { fields.typeName } set { fields.typeName = newValue } }

    // Every variant.
    public var jobId: String { get { fields.jobId } set { fields.jobId = newValue } }
    public var jobSetId: String { get { fields.jobSetId } set { fields.jobSetId = newValue } }
    public var queue: String { get { fields.queue } set { fields.queue = newValue } }
    public var created: Timestamp? { get { fields.created } set { fields.created = newValue } }

    // Run and pod identity.
    public var clusterId: String { get { fields.clusterId } set { fields.clusterId = newValue } }
    public var kubernetesId: String { get { fields.kubernetesId } set { fields.kubernetesId = newValue } }
    public var nodeName: String { get { fields.nodeName } set { fields.nodeName = newValue } }
    public var podNumber: Int32 { get { fields.podNumber } set { fields.podNumber = newValue } }
    public var podName: String { get { fields.podName } set { fields.podName = newValue } }
    public var podNamespace: String { get { fields.podNamespace } set { fields.podNamespace = newValue } }
    public var pool: String { get { fields.pool } set { fields.pool = newValue } }

    // failed, leaseReturned, cancel*, preempt*.
    public var reason: String { get { fields.reason } set { fields.reason = newValue } }
    /// Deprecated and never filled by the server; exit codes are in `containerStatuses`.
    public var exitCodes: [String: Int32] { get { fields.exitCodes } set { fields.exitCodes = newValue } }
    public var containerStatuses: [ContainerStatus] { get { fields.containerStatuses } set { fields.containerStatuses = newValue } }
    public var cause: Cause { get { fields.cause } set { fields.cause = newValue } }
    public var failureCategory: String { get { fields.failureCategory } set { fields.failureCategory = newValue } }
    public var failureSubcategory: String { get { fields.failureSubcategory } set { fields.failureSubcategory = newValue } }
    /// The retry engine will run the job again: more events follow for the same job id.
    public var retryable: Bool { get { fields.retryable } set { fields.retryable = newValue } }
    public var runAttempted: Bool { get { fields.runAttempted } set { fields.runAttempted = newValue } }

    // reprioritiz*, cancel*, preempt*.
    public var newPriority: Double { get { fields.newPriority } set { fields.newPriority = newValue } }
    public var requestor: String { get { fields.requestor } set { fields.requestor = newValue } }

    // preempted.
    public var runId: String { get { fields.runId } set { fields.runId = newValue } }
    public var preemptingJobId: String { get { fields.preemptingJobId } set { fields.preemptingJobId = newValue } }
    public var preemptiveRunId: String { get { fields.preemptiveRunId } set { fields.preemptiveRunId = newValue } }

    // utilisation (PascalCase keys on the wire, as the proto writes them).
    public var maxResourcesForPeriod: [String: String] { get { fields.maxResourcesForPeriod } set { fields.maxResourcesForPeriod = newValue } }
    public var avgResourcesForPeriod: [String: String] { get { fields.avgResourcesForPeriod } set { fields.avgResourcesForPeriod = newValue } }
    public var totalCumulativeUsage: [String: String] { get { fields.totalCumulativeUsage } set { fields.totalCumulativeUsage = newValue } }

    // ingressInfo: port → address.
    public var ingressAddresses: [String: String] { get { fields.ingressAddresses } set { fields.ingressAddresses = newValue } }

    // submitted: the job spec, kept as received and decoded when first read (it is the largest
    // part of a stream, and a runner never reads it).
    public var job: Job? {
        get { jobSpec?.job }
        set { jobSpec = newValue.map(JobSpec.init(decoded:)) }
    }
    var jobSpec: JobSpec? { get { fields.jobSpec } set { fields.jobSpec = newValue } }

    // The payload lives in one copy-on-write box: an event is passed through several layers
    // (scanner, stream, watcher, consumers) and copying ~30 inline fields at each was a tenth of
    // a stream's CPU time.
    struct Fields: Sendable, Hashable {
        init(typeName: String) { self.typeName = typeName }
        var typeName: String
        var jobId: String = ""
        var jobSetId: String = ""
        var queue: String = ""
        var created: Timestamp?
        var clusterId: String = ""
        var kubernetesId: String = ""
        var nodeName: String = ""
        var podNumber: Int32 = 0
        var podName: String = ""
        var podNamespace: String = ""
        var pool: String = ""
        var reason: String = ""
        var exitCodes: [String: Int32] = [:]
        var containerStatuses: [ContainerStatus] = []
        var cause: Cause = .error
        var failureCategory: String = ""
        var failureSubcategory: String = ""
        var retryable: Bool = false
        var runAttempted: Bool = false
        var newPriority: Double = 0
        var requestor: String = ""
        var runId: String = ""
        var preemptingJobId: String = ""
        var preemptiveRunId: String = ""
        var maxResourcesForPeriod: [String: String] = [:]
        var avgResourcesForPeriod: [String: String] = [:]
        var totalCumulativeUsage: [String: String] = [:]
        var ingressAddresses: [String: String] = [:]
        var jobSpec: JobSpec?
    }

    private final class Storage: @unchecked Sendable { // mutated only while uniquely referenced (copy-on-write)
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    private var fields: Fields {
        get { storage.fields }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            yield &storage.fields
        }
    }

    public init(_ type: EventType, jobId: String = "", jobSetId: String = "", queue: String = "", created: Timestamp? = nil) {
        self.type = type
        storage = Storage(Fields(typeName: type.rawValue))
        self.jobId = jobId
        self.jobSetId = jobSetId
        self.queue = queue
        self.created = created
    }

    public init(unknown typeName: String) {
        self.type = nil
        storage = Storage(Fields(typeName: typeName))
    }

    public static func == (lhs: EventMessage, rhs: EventMessage) -> Bool {
        lhs.type == rhs.type && (lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(storage.fields)
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
    /// Constant lists only (no concatenation), so the compiler can lay each out once.
    static func fields(of type: EventType) -> [Field] {
        switch type {
        case .submitted: return [.job]
        case .queued, .leaseExpired: return []
        case .leased: return [.clusterId, .pool]
        case .leaseReturned: return [.clusterId, .reason, .kubernetesId, .podNumber, .runAttempted]
        case .pending: return [.clusterId, .kubernetesId, .podNumber, .podName, .podNamespace, .pool]
        case .running: return [.clusterId, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace, .pool]
        case .failed:
            return [.clusterId, .reason, .exitCodes, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace,
                    .containerStatuses, .cause, .failureCategory, .failureSubcategory, .retryable]
        case .succeeded: return [.clusterId, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace]
        case .reprioritizing, .reprioritized: return [.newPriority, .requestor]
        case .cancelling, .cancelled: return [.requestor, .reason]
        case .utilisation:
            return [.clusterId, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace,
                    .maxResourcesForPeriod, .avgResourcesForPeriod, .totalCumulativeUsage]
        case .ingressInfo: return [.clusterId, .kubernetesId, .nodeName, .podNumber, .podName, .podNamespace, .ingressAddresses]
        case .preempted: return [.runId, .clusterId, .reason, .preemptingJobId, .preemptiveRunId, .requestor]
        case .preempting: return [.requestor, .reason]
        }
    }
}
