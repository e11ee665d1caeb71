import ArmadaAPI

/// The action a test case runs once every job has reached the trigger event (testcase-format §1.6).
public enum TestAction: Sendable, Hashable {
    case cancelJobSet(JobSetCancelRequest, assertInactiveSucceeds: Bool)
    case cancelOnNode(NodeCancelRequest, nodePoolTag: String)
    case preemptOnNode(NodePreemptRequest, nodePoolTag: String)
    case cancel(JobCancelRequest)
    case preempt(JobPreemptRequest, byJobSet: Bool)
    case reprioritize(JobReprioritizeRequest, byJobSet: Bool)

    /// The YAML key of each action, in upstream's precedence order (the first configured one runs).
    public static let keysByPrecedence = ["cancelJobSet", "cancelOnNode", "preemptOnNode", "cancel", "preempt",
                                          "reprioritize"]

    public var key: String {
        switch self {
        case .cancelJobSet: "cancelJobSet"
        case .cancelOnNode: "cancelOnNode"
        case .preemptOnNode: "preemptOnNode"
        case .cancel: "cancel"
        case .preempt: "preempt"
        case .reprioritize: "reprioritize"
        }
    }

    /// `running` for node actions, preempt and reprioritize; `queued` for the cancels.
    public var defaultTrigger: EventType {
        switch self {
        case .cancelJobSet, .cancel: .queued
        case .cancelOnNode, .preemptOnNode, .preempt, .reprioritize: .running
        }
    }

    /// Node-scoped actions are gRPC-only (the REST gateway does not serve them).
    public var isNodeScoped: Bool {
        switch self {
        case .cancelOnNode, .preemptOnNode: true
        default: false
        }
    }

    /// Why the action cannot run over the REST gateway, or nil when it can: node-scoped actions
    /// exist only in Armada's gRPC API.
    public var restUnsupportedReason: String? {
        guard isNodeScoped else { return nil }
        return "\(key) needs the gRPC transport (Armada's REST gateway does not serve node operations): "
            + "run without --transport rest, with a gRPC address (armadaUrl or --grpc-url)"
    }

    /// Event types an action may wait for. Upstream rejects `pending`; it is allowed here.
    public static let allowedTriggers: [EventType] = [.submitted, .queued, .leased, .pending, .running, .succeeded,
                                                      .failed, .cancelled, .preempted]
}
