import ArmadaAPI

/// A pod as the runtime gets it: identity, metadata and the spec with memory after retry bumps.
public struct PodContext: Sendable {
    public var name: String
    public var namespace: String
    public var jobId: String
    public var runIndex: Int
    public var labels: [String: String]
    public var annotations: [String: String]
    public var nodeName: String
    var spec: PodSpecView

    /// A downward-API `fieldPath` (`metadata.name`, `metadata.labels['x']`).
    public func field(_ path: String) -> String? {
        switch path {
        case "metadata.name": return name
        case "metadata.namespace": return namespace
        case "spec.nodeName": return nodeName
        default:
            for (prefix, map) in [("metadata.labels['", labels), ("metadata.annotations['", annotations)]
            where path.hasPrefix(prefix) && path.hasSuffix("']") {
                return map[String(path.dropFirst(prefix.count).dropLast(2))]
            }
            return nil
        }
    }
}

/// How a run ended.
public enum RunOutcome: Sendable, Hashable {
    /// Every container exited 0; their statuses.
    case succeeded([ContainerStatus])
    /// The pod failed. `containers` lists every terminated container; `podReason` is
    /// `Evicted`/`DeadlineExceeded` or ""; `podMessage` is the pod-level message, if any.
    case failed(containers: [ContainerStatus], podReason: String, podMessage: String)
    /// The executor gives the lease back (pod could not be created or started).
    case leaseReturned(reason: String, attempted: Bool)
}

/// What decides a run's outcome: the deterministic model runtime here, the process runtime that
/// executes commands for real in a later step.
public protocol PodRuntime: Sendable {
    /// Named in failure reasons and banners.
    var name: String { get }
    /// Runs the pod; calls `started` once its containers run (the `running` event). Cancellation
    /// (cancel, preempt) must end it promptly; its result is then ignored.
    func run(_ pod: PodContext, timings: SimConfig.Timings, started: @Sendable () async -> Void) async -> RunOutcome
}
