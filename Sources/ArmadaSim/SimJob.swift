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

/// The part of a job that never changes after submit, worked out once (much of it before the
/// simulator actor is entered): the scheduler's loops read a job's resources and gang many times,
/// and a job is copied out of the table and back at every step, which now moves one reference.
final class SimJobBase: Sendable {
    let id: String
    let queue: String
    let jobSet: String
    let order: Int
    let item: JobSubmitRequestItem
    let spec: PodSpecView
    let podSpec: JSONValue
    let owner: String
    let annotations: [String: String]
    let labels: [String: String]
    let namespace: String
    let cpu: Double
    /// Requested memory before retry bumps.
    let memory: Double
    let gangCardinality: Int
    let gangId: String?
    /// What the API server would say about the pod spec when the executor creates the pod.
    let podProblems: [String]

    init(id: String, queue: String, jobSet: String, order: Int, owner: String, prepared: Simulator.PreparedItem) {
        (self.id, self.queue, self.jobSet, self.order, self.owner) = (id, queue, jobSet, order, owner)
        item = prepared.item
        spec = prepared.spec
        podSpec = prepared.podSpec
        annotations = prepared.item.annotations ?? [:]
        labels = prepared.item.labels ?? [:]
        namespace = prepared.item.namespace ?? ""
        cpu = prepared.spec.cpu
        memory = prepared.spec.memory
        gangCardinality = Int(annotations["armadaproject.io/gangCardinality"] ?? "") ?? 1
        if let gang = annotations["armadaproject.io/gangId"], !gang.isEmpty, gangCardinality >= 2 { gangId = gang } else { gangId = nil }
        podProblems = prepared.podProblems
    }
}
