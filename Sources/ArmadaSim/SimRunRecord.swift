import ArmadaAPI
import RetryEngine

/// One run of a job as the simulator scheduled it: what Armada's API does not report, such as
/// the memory after retry memory bumps (`GET /_sim/runs`, `Simulator.runLog`).
public struct SimRunRecord: Sendable, Hashable, Codable {
    public var jobId: String
    public var runIndex: Int
    public var node: String
    public var podName: String
    /// Scheduled memory (requests and limits), as a quantity: `64Mi`.
    public var memory: String
    /// The cumulative retry memory bump the run had: `×2`, `+512Mi`, or empty.
    public var memoryBump: String
    /// The pod's address on the process runtime's pod network (`status.podIP`), or empty.
    public var podIP: String

    public init(jobId: String, runIndex: Int, node: String, podName: String, memory: String, memoryBump: String, podIP: String = "") {
        self.podIP = podIP
        self.jobId = jobId
        self.runIndex = runIndex
        self.node = node
        self.podName = podName
        self.memory = memory
        self.memoryBump = memoryBump
    }
}

extension Simulator {
    /// The runs of a job set's jobs, in submission order, then run order.
    public func runLog(queue: String, jobSetId: String) -> [SimRunRecord] {
        jobs.values.filter { $0.queue == queue && $0.jobSet == jobSetId }.sorted { $0.order < $1.order }.flatMap { job in
            job.runs.map { run in
                SimRunRecord(jobId: job.id, runIndex: run.index, node: run.node, podName: run.podName,
                             memory: Self.quantityText(run.memory, cpu: false), memoryBump: Self.describe(run.bump), podIP: run.podIP)
            }
        }
    }

    static func describe(_ bump: MemoryBump) -> String {
        switch bump {
        case .none: ""
        case .factor(let f): "×" + JSONValue.numberText(f)
        case .addition(let bytes): "+" + quantityText(bytes, cpu: false)
        }
    }
}
