/// The members of Armada's `EventMessage` oneof (`events`), by their JSON (camelCase) name.
/// `rawValue` is the JSON key the REST gateway uses; `protoName` is the snake_case proto field name.
public enum EventType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case submitted
    case queued
    case leased
    case leaseReturned
    case leaseExpired
    case pending
    case running
    case failed
    case succeeded
    case reprioritizing
    case reprioritized
    case cancelling
    case cancelled
    case utilisation
    case ingressInfo
    case preempting
    case preempted

    /// Proto field number in `EventMessage`.
    public var fieldNumber: Int {
        switch self {
        case .submitted: 1
        case .queued: 2
        case .leased: 3
        case .leaseReturned: 4
        case .leaseExpired: 5
        case .pending: 6
        case .running: 7
        case .failed: 9
        case .succeeded: 10
        case .reprioritized: 11
        case .cancelling: 12
        case .cancelled: 13
        case .utilisation: 15
        case .ingressInfo: 17
        case .reprioritizing: 18
        case .preempted: 21
        case .preempting: 22
        }
    }

    /// The proto (snake_case) field name, e.g. `lease_returned`.
    public var protoName: String {
        var out = ""
        for ch in rawValue {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }

    /// PascalCase name as upstream prints it in messages and event logs (`LeaseReturned`).
    public var displayName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    public var description: String { rawValue }

    /// Looks a member up by its JSON name or its proto name (`leaseReturned` or `lease_returned`).
    public init?(name: String) {
        if let exact = EventType(rawValue: name) {
            self = exact
            return
        }
        guard let match = EventType.allCases.first(where: { $0.protoName == name }) else { return nil }
        self = match
    }
}
