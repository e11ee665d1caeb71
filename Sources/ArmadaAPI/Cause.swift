/// `api.Cause` of a failed event: Error 0 (omitted on the wire), Evicted 1, OOM 2,
/// DeadlineExceeded 3, Rejected 4.
public enum Cause: Int, Sendable, Hashable, Codable, CaseIterable, ProtoEnum {
    case error = 0
    case evicted = 1
    case oom = 2
    case deadlineExceeded = 3
    case rejected = 4

    public var protoName: String {
        switch self {
        case .error: "Error"
        case .evicted: "Evicted"
        case .oom: "OOM"
        case .deadlineExceeded: "DeadlineExceeded"
        case .rejected: "Rejected"
        }
    }
}
