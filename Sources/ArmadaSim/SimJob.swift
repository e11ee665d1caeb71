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

    /// What the job was submitted with, shared by every copy of the job.
    let base: SimJobBase
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

    init(base: SimJobBase, priority: Double) {
        self.base = base
        self.priority = priority
    }

    var id: String { base.id }
    var queue: String { base.queue }
    var jobSet: String { base.jobSet }
    var order: Int { base.order }
    var item: JobSubmitRequestItem { base.item }
    var spec: PodSpecView { base.spec }
    var podSpec: JSONValue { base.podSpec }
    var owner: String { base.owner }
    var annotations: [String: String] { base.annotations }
    var labels: [String: String] { base.labels }
    var namespace: String { base.namespace }
    var currentRun: Run? { state == .leased || state == .pending || state == .running ? runs.last : nil }
    var gangCardinality: Int { base.gangCardinality }
    /// Set for members of a gang of two or more; a cardinality-1 gang is a plain job.
    var gangId: String? { base.gangId }

    /// Memory and CPU the scheduler reserves, after retry memory bumps.
    var cpu: Double { base.cpu }
    var memory: Double { memoryBump.schedulingRequirement(original: base.memory) }
}
