import RetryEngine
import TestSpec

/// The memory of each run of the jobs whose memory a retry bump changed, for the test's output:
/// `memory by run (simulator's run log; Armada's API reports none): run 0: 32Mi, run 1: 64Mi (×2), 2 jobs`.
/// Pure.
public enum RunMemoryNotes {
    static let source = "simulator's run log; Armada's API reports no run's memory"

    public static func lines(_ records: [RunLogRecord], limit: Int = 4) -> [String] {
        var order: [String] = []
        var byJob: [String: [RunLogRecord]] = [:]
        for r in records {
            if byJob[r.jobId] == nil { order.append(r.jobId) }
            byJob[r.jobId, default: []].append(r)
        }
        var progressions: [(String, Int)] = []
        for id in order {
            let runs = byJob[id]!.sorted { $0.runIndex < $1.runIndex }
            guard Set(runs.map(\.memory)).count > 1 else { continue } // no bump took effect
            let text = runs.map { "run \($0.runIndex): \($0.memory)" + ($0.memoryBump.isEmpty ? "" : " (\($0.memoryBump))") }
                .joined(separator: ", ")
            if let k = progressions.firstIndex(where: { $0.0 == text }) { progressions[k].1 += 1 } else { progressions.append((text, 1)) }
        }
        var lines = progressions.prefix(limit).map { text, count in
            "memory by run (\(source)): \(text)" + (count == 1 ? "" : ", \(count) jobs")
        }
        if progressions.count > limit { lines.append("… \(progressions.count - limit) more memory progression(s)") }
        return lines
    }

    /// Against a target without a run log: say why a test with a memory bump shows no memory.
    public static func unavailable(for test: TestCase) -> [String] {
        let bumps = test.retryPolicies.contains { $0.rules.contains { $0.mutate?.resources?.memory != nil } }
        return bumps ? ["memory by run: not shown; Armada's API reports no run's memory (the embedded simulator's run log does)"] : []
    }
}
