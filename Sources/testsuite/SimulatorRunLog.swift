import ArmadaSim
import Runner

/// The embedded simulator's run log, for what Armada's API does not report about runs.
struct SimulatorRunLog: RunLogSource {
    let simulator: Simulator

    func runs(queue: String, jobSetId: String) async -> [RunLogRecord] {
        await simulator.runLog(queue: queue, jobSetId: jobSetId).map {
            RunLogRecord(jobId: $0.jobId, runIndex: $0.runIndex, memory: $0.memory, memoryBump: $0.memoryBump)
        }
    }
}
