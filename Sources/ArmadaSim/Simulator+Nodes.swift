import ArmadaAPI

extension Simulator {
    /// `api.Node/CancelOnNode`: every job with a live run on the node, narrowed by executor, queues
    /// and priority classes, is cancelled at the next cycle: `cancelled` only (no `cancelling`: the
    /// request is a control-plane event, not one of the job set).
    public func cancelOnNode(_ request: NodeCancelRequest, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        defer { wakeScheduler() }
        for id in try jobsOnNode(request, principal, permission: "cancel_any_jobs", verb: "cancel") where jobs[id]?.cancelRequest == nil {
            jobs[id]?.cancelRequest = principal.name
            jobsWithRequests.insert(id)
        }
    }

    /// `api.Node/PreemptOnNode`: the same jobs are preempted at the next cycle, as API preemption
    /// does (`preempted` → `failed`, preemptible priority classes only), without `preempting`.
    public func preemptOnNode(_ request: NodePreemptRequest, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        defer { wakeScheduler() }
        for id in try jobsOnNode(request, principal, permission: "preempt_any_jobs", verb: "preempt") where jobs[id]?.preemptRequest == nil {
            jobs[id]?.preemptRequest = (principal.name, "")
            jobsWithRequests.insert(id)
        }
    }

    /// The ids of the jobs a node request selects. The node must be one of the fleet's and the
    /// executor, when given, this simulator's; a queue the caller may not act on is skipped.
    func jobsOnNode(_ request: NodeCancelRequest, _ principal: SimAuth.Principal, permission: String,
                    verb: String) throws(SimError) -> [String] {
        guard let name = request.name, !name.isEmpty else { throw .invalid("node name is a required field") }
        guard config.nodes.contains(where: { $0.name == name }) else {
            throw SimError(.notFound, "node \(name) not found" + (config.nodes.isEmpty ? ""
                : "; nodes: " + config.nodes.map(\.name).joined(separator: ", ")))
        }
        if let executor = request.executor, !executor.isEmpty, executor != config.executorId {
            throw SimError(.notFound, "executor \(executor) not found; this simulator's executor is \(config.executorId)")
        }
        let queues = Set(request.queues ?? []), classes = Set(request.priorityClasses ?? [])
        return jobs.values.filter { job in
            guard let run = job.currentRun, run.node == name else { return false }
            if !queues.isEmpty, !queues.contains(job.queue) { return false }
            if !classes.isEmpty, !classes.contains(job.spec.priorityClassName) { return false }
            return config.auth.may(principal, permission, verb: verb, on: self.queues[job.queue])
        }.map(\.id).sorted()
    }
}
