/// Where the runner reads what Armada's API does not report about runs: the embedded simulator's
/// run log (`Simulator.runLog`). Against a real cluster there is none.
public protocol RunLogSource: Sendable {
    func runs(queue: String, jobSetId: String) async -> [RunLogRecord]
}

/// One run, as the run log has it.
public struct RunLogRecord: Sendable, Hashable {
    public var jobId: String
    public var runIndex: Int
    /// Scheduled memory (requests and limits) after retry memory bumps: `64Mi`.
    public var memory: String
    /// The cumulative bump: `×2`, `+512Mi`, or empty.
    public var memoryBump: String

    public init(jobId: String, runIndex: Int, memory: String, memoryBump: String = "") {
        self.jobId = jobId
        self.runIndex = runIndex
        self.memory = memory
        self.memoryBump = memoryBump
    }
}
