/// gRPC status codes and the gateway's mapping to HTTP statuses (REST doc §8.4).
public enum GRPCStatusCode: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case ok = 0, canceled, unknown, invalidArgument, deadlineExceeded, notFound, alreadyExists, permissionDenied
    case resourceExhausted, failedPrecondition, aborted, outOfRange, unimplemented, internalError, unavailable, dataLoss
    case unauthenticated

    public var httpStatus: Int {
        switch self {
        case .ok: 200
        case .canceled: 408
        case .unknown, .internalError, .dataLoss: 500
        case .invalidArgument, .failedPrecondition, .outOfRange: 400
        case .deadlineExceeded: 504
        case .notFound: 404
        case .alreadyExists, .aborted: 409
        case .permissionDenied: 403
        case .resourceExhausted: 429
        case .unimplemented: 501
        case .unavailable: 503
        case .unauthenticated: 401
        }
    }

    /// The most likely gRPC code behind an HTTP status (for bodies that carry none).
    public init(httpStatus: Int) {
        switch httpStatus {
        case 200..<300: self = .ok
        case 400: self = .invalidArgument
        case 401: self = .unauthenticated
        case 403: self = .permissionDenied
        case 404: self = .notFound
        case 408: self = .canceled
        case 409: self = .alreadyExists
        case 429: self = .resourceExhausted
        case 501: self = .unimplemented
        case 503: self = .unavailable
        case 504: self = .deadlineExceeded
        default: self = .unknown
        }
    }

    /// Go's name (`NotFound`, `PermissionDenied`).
    public var name: String {
        switch self {
        case .ok: "OK"
        case .canceled: "Canceled"
        case .unknown: "Unknown"
        case .invalidArgument: "InvalidArgument"
        case .deadlineExceeded: "DeadlineExceeded"
        case .notFound: "NotFound"
        case .alreadyExists: "AlreadyExists"
        case .permissionDenied: "PermissionDenied"
        case .resourceExhausted: "ResourceExhausted"
        case .failedPrecondition: "FailedPrecondition"
        case .aborted: "Aborted"
        case .outOfRange: "OutOfRange"
        case .unimplemented: "Unimplemented"
        case .internalError: "Internal"
        case .unavailable: "Unavailable"
        case .dataLoss: "DataLoss"
        case .unauthenticated: "Unauthenticated"
        }
    }

    public var description: String { name }
}
