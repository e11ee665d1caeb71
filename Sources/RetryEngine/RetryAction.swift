/// `api.RetryAction`. On the wire the gateway writes `"Fail"` / `"Retry"` and reads numbers,
/// canonical names (`RETRY_ACTION_FAIL`) or the short name in any case.
public enum RetryAction: Int, Sendable, Hashable, CaseIterable, FriendlyEnum {
    case unspecified = 0
    case fail = 1
    case retry = 2

    public static let namePrefix = "RETRY_ACTION_"
    public var canonicalName: String {
        switch self {
        case .unspecified: "RETRY_ACTION_UNSPECIFIED"
        case .fail: "RETRY_ACTION_FAIL"
        case .retry: "RETRY_ACTION_RETRY"
        }
    }
    /// The name armadactl and the gateway print (`Fail`, `Retry`).
    public var shortName: String {
        switch self {
        case .unspecified: "Unspecified"
        case .fail: "Fail"
        case .retry: "Retry"
        }
    }
}

extension RetryAction: Codable {
    public init(from decoder: any Decoder) throws {
        self = try Self.decodeFriendly(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(shortName)
    }
}

/// `ExitCodeOperator` of the PR #4804 exit-code matcher.
public enum ExitCodeOperator: Int, Sendable, Hashable, CaseIterable, FriendlyEnum {
    case unspecified = 0
    case `in` = 1
    case notIn = 2

    public static let namePrefix = "EXIT_CODE_OPERATOR_"
    public var canonicalName: String {
        switch self {
        case .unspecified: "EXIT_CODE_OPERATOR_UNSPECIFIED"
        case .in: "EXIT_CODE_OPERATOR_IN"
        case .notIn: "EXIT_CODE_OPERATOR_NOT_IN"
        }
    }
    public var shortName: String {
        switch self {
        case .unspecified: "Unspecified"
        case .in: "In"
        case .notIn: "NotIn"
        }
    }
}

extension ExitCodeOperator: Codable {
    public init(from decoder: any Decoder) throws {
        self = try Self.decodeFriendly(from: decoder)
    }

    /// The prototype wrote enum numbers.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
