import ArmadaAPI
import Foundation
import RetryEngine

/// A job as the simulated scheduler tracks it.
struct SimJob: Sendable {
    enum State: Sendable, Equatable {
        case queued, leased, pending, running, succeeded, failed, cancelled

        var name: String {
            switch self {
            case .queued: "queued"
            case .leased: "leased"
            case .pending: "pending"
            case .running: "running"
            case .succeeded: "succeeded"
            case .failed: "failed"
            case .cancelled: "cancelled"
            }
        }

        var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }
        var isActive: Bool { !isTerminal }
        var jobState: JobState {
            switch self {
            case .queued: .queued
            case .leased: .leased
            case .pending: .pending
            case .running: .running
            case .succeeded: .succeeded
            case .failed: .failed
            case .cancelled: .cancelled
            }
        }
    }

    struct Run: Sendable {
        var id: String
        var index: Int
        var node: String
        var podName: String
        var kubernetesId: String
        var started = false
        /// The pod's address on the pod network once it ran (`status.podIP`); empty without one.
        var podIP = ""
        /// Memory the run was scheduled with (bytes, after retry memory bumps) and the bump then.
        var memory: Double = 0
        var bump = MemoryBump.none
    }

    let id: String
    let queue: String
    let jobSet: String
    let order: Int
    var item: JobSubmitRequestItem
    let spec: PodSpecView
    let podSpec: JSONValue
    let owner: String
    var priority: Double
    var state: State = .queued
    var runs: [Run] = []
    /// Failed runs that count towards retry budgets (not preempted, not lease-returned).
    var countedFailures = 0
    /// Runs whose lease was returned after the pod was attempted (legacy `maxAttemptedRuns`).
    var attemptedRuns = 0
    var memoryBump = MemoryBump.none
    var avoidNodes: Set<String> = []
    /// Requests applied at the next scheduler cycle.
    var cancelRequest: String?
    var preemptRequest: (requestor: String, reason: String)?
    var reprioritizeRequest: (priority: Double, requestor: String)?
    var rejected = false

    var annotations: [String: String] { item.annotations ?? [:] }
    var labels: [String: String] { item.labels ?? [:] }
    var namespace: String { item.namespace ?? "" }
    var currentRun: Run? { state == .leased || state == .pending || state == .running ? runs.last : nil }

    var gangCardinality: Int { Int(annotations["armadaproject.io/gangCardinality"] ?? "") ?? 1 }
    /// Set for members of a gang of two or more; a cardinality-1 gang is a plain job.
    var gangId: String? {
        guard let id = annotations["armadaproject.io/gangId"], !id.isEmpty, gangCardinality >= 2 else { return nil }
        return id
    }

    /// Memory and CPU the scheduler reserves, after retry memory bumps.
    var cpu: Double { spec.cpu }
    var memory: Double { memoryBump.schedulingRequirement(original: spec.memory) }
}
