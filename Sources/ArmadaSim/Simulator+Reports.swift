import ArmadaAPI

/// The scheduler's human-readable reports (REST doc §3.13: `schedulerobjects.SchedulerReporting`).
/// Armada's describe its last scheduling rounds; the simulator's describe its present state: the
/// executor's nodes and what they hold, each queue's jobs by state, a job's runs and why it waits.
extension Simulator {
    public func schedulingReport() -> String {
        var lines = ["Scheduling report of the Armada simulator: executor \(config.executorId), pool \(config.pool)", "Nodes:"]
        for node in config.nodes {
            let used = nodeUsage[node.name] ?? (0, 0)
            lines.append("  \(node.name): cpu \(Self.quantityText(used.cpu, cpu: true))/\(Self.quantityText(node.cpu, cpu: true)), "
                + "memory \(Self.quantityText(used.memory, cpu: false))/\(Self.quantityText(node.memory, cpu: false))")
        }
        lines.append("Queues:")
        for name in queues.keys.sorted() { lines.append("  \(name): " + Self.describe(counts(queue: name))) }
        return lines.joined(separator: "\n") + "\n"
    }

    public func queueReport(_ name: String) throws(SimError) -> String {
        guard let queue = queues[name] else { throw SimError(.notFound, "queue \(name) does not exist") }
        var lines = ["Queue \(name): priority factor \(JSONValue.numberText(queue.priorityFactor ?? 1))"
                     + (queue.cordoned == true ? ", cordoned" : "")]
        lines.append("Jobs: " + Self.describe(counts(queue: name)))
        let waiting = queuedOrder.filter { jobs[$0]?.queue == name }
        if !waiting.isEmpty {
            lines.append("Next to schedule: " + waiting.prefix(10).joined(separator: ", ") + (waiting.count > 10 ? ", …" : ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public func jobReport(_ id: String) throws(SimError) -> String {
        guard let job = jobs[id] else { throw SimError(.notFound, "job \(id) not found") }
        var lines = ["Job \(id) in queue \(job.queue), job set \(job.jobSet): \(job.state.name), priority \(JSONValue.numberText(job.priority))",
                     "Requests: cpu \(Self.quantityText(job.cpu, cpu: true)), memory \(Self.quantityText(job.memory, cpu: false))"]
        for run in job.runs { lines.append("Run \(run.index) (\(run.id)): node \(run.node), pod \(run.podName)") }
        if job.state == .queued {
            let fits = config.nodes.filter { node in
                let used = nodeUsage[node.name] ?? (0, 0)
                return node.cpu - used.cpu >= job.cpu && node.memory - used.memory >= job.memory
            }
            lines.append(fits.isEmpty ? "Waiting: no node has the cpu and memory free now"
                                      : "Waiting for the next scheduling cycle; fits on " + fits.map(\.name).joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func counts(queue: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in jobs.values where job.queue == queue { counts[job.state.name, default: 0] += 1 }
        return counts
    }

    private static func describe(_ counts: [String: Int]) -> String {
        let order = ["queued", "leased", "pending", "running", "succeeded", "failed", "cancelled"]
        let parts = order.compactMap { state in counts[state].map { "\($0) \(state)" } }
        return parts.isEmpty ? "no jobs" : parts.joined(separator: ", ")
    }
}
