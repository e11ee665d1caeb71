import ArmadaAPI

/// What happened to each run of one job, for failure messages that show a retry chain run by run:
/// `run 0: failed (exit 1, retryable) on node-1; run 1: succeeded`. Keeps the latest 16 runs.
struct RunHistory: Sendable {
    private struct Run: Sendable {
        var index: Int
        var node = ""
        var outcome = "leased"
    }

    private var runs: [Run] = []
    private var dropped = 0
    /// Leases seen: each run starts with one.
    private(set) var leases = 0
    private static let keep = 16

    mutating func record(_ event: EventMessage, runIndex: Int?) {
        if event.type == .leased {
            leases += 1
            append(Run(index: runIndex ?? leases - 1))
        }
        guard let type = event.type else { return }
        let outcome: String?
        switch type {
        case .failed:
            var parts: [String] = []
            if event.firstNonZeroExitCode != 0 { parts.append("exit \(event.firstNonZeroExitCode)") }
            if !event.failureCategory.isEmpty { parts.append(event.failureCategory) }
            parts.append(event.retryable ? "retryable" : "terminal")
            let reason = event.reason.isEmpty ? "" : ": " + OneLine.shorten(event.reason, limit: 120)
            outcome = "failed (\(parts.joined(separator: ", ")))" + reason
        case .succeeded: outcome = "succeeded"
        case .cancelled: outcome = "cancelled"
        case .preempted: outcome = "preempted"
        case .leaseReturned: outcome = "lease returned" + (event.reason.isEmpty ? "" : ": " + OneLine.shorten(event.reason, limit: 120))
        case .leaseExpired: outcome = "lease expired"
        case .running: outcome = "running"
        default: outcome = nil
        }
        guard outcome != nil || !event.nodeName.isEmpty else { return }
        if runs.isEmpty { append(Run(index: -1)) } // an outcome before any lease (a rejected job)
        if !event.nodeName.isEmpty { runs[runs.count - 1].node = event.nodeName }
        if let outcome {
            // A retry chain repeats one outcome: runs share the earlier run's text instead of
            // keeping a copy each (160 000 strings for the stream benchmark's 10 000 jobs).
            let earlier = runs.count >= 2 ? runs[runs.count - 2].outcome : nil
            runs[runs.count - 1].outcome = earlier == outcome ? earlier! : outcome
        }
    }

    private mutating func append(_ run: Run) {
        runs.append(run)
        if runs.count > Self.keep {
            runs.removeFirst()
            dropped += 1
        }
    }

    /// `run 0: failed (exit 1, retryable) on node-1; run 1: succeeded on node-2`; empty with no runs.
    var summary: String {
        let lines = runs.map { run in
            (run.index < 0 ? "before any run" : "run \(run.index)") + ": \(run.outcome)" + (run.node.isEmpty ? "" : " on \(run.node)")
        }
        return ((dropped > 0 ? ["… \(dropped) earlier run(s)"] : []) + lines).joined(separator: "; ")
    }
}
