import ArmadaAPI
import RetryEngine

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
    /// The job's services and ingress ports: the pod is exposed on the pod network (`PodNetwork`).
    public var services: [ServiceConfig] = []
    public var ingressPorts: [UInt32] = []

    /// Whether the job asks for its pod to be reached (ingress or services).
    public var isExposed: Bool { !services.isEmpty || !ingressPorts.isEmpty }

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

extension PodContext {
    /// The container's environment as the kubelet builds it: `HOSTNAME` (the pod name), a default
    /// `HOME` and `PATH`, then the container's `env` (literal values and downward-API field refs).
    func environment(for c: PodSpecView.Container) -> [String: String] {
        var env = ["HOSTNAME": name, "HOME": "/root", "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        for e in c.env { env[e.name] = e.value ?? e.fieldPath.flatMap(field) ?? "" }
        return env
    }

    /// The first container image matching the unpullable-image pattern, if any.
    func unpullableImage(_ pattern: String) -> String? {
        guard !pattern.isEmpty else { return nil }
        return spec.containers.map(\.image).first { RegexCache.contains(pattern, in: $0) == true }
    }
}

extension RunOutcome {
    /// What the executor's pending-pod check reports for an image that cannot be pulled (lifecycle §4.5).
    static func imagePullFailure(_ image: String) -> RunOutcome {
        .failed(containers: [], podReason: "", podMessage: "Unable to start pod - encountered an unrecoverable problem.\n"
            + "Matched check: \"check-0\"\nFailed to pull image \"\(image)\": rpc error: code = NotFound desc = failed to pull and unpack image \"\(image)\": not found")
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
    /// The run's outcome, and whether its containers started, when it takes no time at all; nil
    /// when it must be run. The simulator then completes the run inline, without a task.
    func instantOutcome(_ pod: PodContext, timings: SimConfig.Timings) -> (started: Bool, outcome: RunOutcome)?
    /// Called once the simulator has stopped and every run has ended: release what the runtime holds on the host.
    func shutdown()
    /// A running pod's address on the pod network (`status.podIP`), if the runtime gives pods one.
    func podAddress(_ pod: String) -> String?
}

extension PodRuntime {
    public func podAddress(_ pod: String) -> String? { nil }
}

extension PodRuntime {
    public func instantOutcome(_ pod: PodContext, timings: SimConfig.Timings) -> (started: Bool, outcome: RunOutcome)? { nil }
    public func shutdown() {}
}
