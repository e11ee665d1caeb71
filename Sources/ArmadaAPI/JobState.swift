/// `api.JobState`. On the wire a number; requests accept the exact name too.
public enum JobState: Int, Sendable, Hashable, Codable, CaseIterable, ProtoEnum {
    case queued = 0
    case pending = 1
    case running = 2
    case succeeded = 3
    case failed = 4
    case unknown = 5
    case submitted = 6
    case leased = 7
    case preempted = 8
    case cancelled = 9
    case rejected = 10

    public var protoName: String {
        switch self {
        case .queued: "QUEUED"
        case .pending: "PENDING"
        case .running: "RUNNING"
        case .succeeded: "SUCCEEDED"
        case .failed: "FAILED"
        case .unknown: "UNKNOWN"
        case .submitted: "SUBMITTED"
        case .leased: "LEASED"
        case .preempted: "PREEMPTED"
        case .cancelled: "CANCELLED"
        case .rejected: "REJECTED"
        }
    }
}
