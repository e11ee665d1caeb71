/// `api.JobRunState`: the state of one run in the Jobs API's run details (REST doc §2.4). A number
/// on the wire.
public enum JobRunState: Int, Sendable, Hashable, Codable, CaseIterable, ProtoEnum {
    case unknown = 0
    case leased = 1
    case pending = 2
    case running = 3
    case succeeded = 4
    case failed = 5
    case preempted = 6
    case cancelled = 7
    case leaseExpired = 8
    case leaseReturned = 9

    public var protoName: String {
        switch self {
        case .unknown: "RUN_STATE_UNKNOWN"
        case .leased: "RUN_STATE_LEASED"
        case .pending: "RUN_STATE_PENDING"
        case .running: "RUN_STATE_RUNNING"
        case .succeeded: "RUN_STATE_SUCCEEDED"
        case .failed: "RUN_STATE_FAILED"
        case .preempted: "RUN_STATE_PREEMPTED"
        case .cancelled: "RUN_STATE_CANCELLED"
        case .leaseExpired: "RUN_STATE_LEASE_EXPIRED"
        case .leaseReturned: "RUNS_STATE_LEASE_RETURNED" // sic, as in Armada's proto
        }
    }

    /// Lower-case words for messages: `failed`, `lease returned`.
    public var words: String {
        switch self {
        case .unknown: "unknown"
        case .leased: "leased"
        case .pending: "pending"
        case .running: "running"
        case .succeeded: "succeeded"
        case .failed: "failed"
        case .preempted: "preempted"
        case .cancelled: "cancelled"
        case .leaseExpired: "lease expired"
        case .leaseReturned: "lease returned"
        }
    }

    public var isFinished: Bool {
        switch self {
        case .unknown, .leased, .pending, .running: false
        default: true
        }
    }
}
