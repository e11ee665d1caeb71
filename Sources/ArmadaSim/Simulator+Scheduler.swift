import ArmadaAPI
import Foundation
import RetryEngine

extension Simulator {
    /// One scheduler cycle, with Armada's per-job precedence (lifecycle §3 item 8 and §8.1):
    /// reprioritise → cancel → API preemption → lease queued jobs.
    func cycle() async {
        if !jobsWithRequests.isEmpty || !pendingJobSetReprioritize.isEmpty || !pendingJobSetCancels.isEmpty {
            applyReprioritizations()
            applyCancellations()
            applyPreemptions()
            jobsWithRequests.removeAll()
        }
        await lease()
    }

    /// Jobs with requests, in a stable order.
    private var requestedJobs: [String] { jobsWithRequests.sorted() }

    private func applyReprioritizations() {
        let bySet = pendingJobSetReprioritize
        pendingJobSetReprioritize.removeAll()
        for request in bySet {
            for id in jobSets[request.key] ?? [] where jobs[id]?.reprioritizeRequest == nil {
                jobs[id]?.reprioritizeRequest = (request.priority, request.requestor)
                jobsWithRequests.insert(id)
            }
        }
        for id in requestedJobs {
            guard var job = jobs[id], let request = job.reprioritizeRequest else { continue }
            job.reprioritizeRequest = nil
            if job.state.isActive, job.priority != request.priority {
                job.priority = request.priority
                queueNeedsSort = true
                var e = event(.reprioritized, job)
                e.newPriority = request.priority
                e.requestor = request.requestor
                append(job, [e])
            }
            jobs[id] = job
        }
    }

    private func applyCancellations() {
        let bySet = pendingJobSetCancels
        pendingJobSetCancels.removeAll()
        for request in bySet {
            for id in jobSets[request.key] ?? [] {
                guard let job = jobs[id], job.state.isActive, job.cancelRequest == nil else { continue }
                let queuedOnly = request.states == [.queued]
                let leasedOnly = !request.states.isEmpty && !request.states.contains(.queued)
                if queuedOnly && job.state != .queued { continue }
                if leasedOnly && job.state == .queued { continue }
                var cancelling = event(.cancelling, job)
                cancelling.requestor = request.requestor
                records[id]?.noteCancelReason(request.reason)
                append(job, [cancelling])
                jobs[id]?.cancelRequest = request.requestor
                jobsWithRequests.insert(id)
            }
        }
        for id in requestedJobs {
            guard let job = jobs[id], let requestor = job.cancelRequest else { continue }
            jobs[id]?.cancelRequest = nil
            guard job.state.isActive else { continue }
            var cancelled = event(.cancelled, job)
            cancelled.requestor = requestor
            endRun(of: id)
            jobs[id]?.state = .cancelled
            append(job, [cancelled])
        }
    }

    private func applyPreemptions() {
        for id in requestedJobs {
            guard var job = jobs[id], let request = job.preemptRequest else { continue }
            job.preemptRequest = nil
            jobs[id] = job
            guard job.state.isActive, let run = job.currentRun,
                  config.priorityClasses[job.spec.priorityClassName] == true else { continue }
            var reason = "Preempted - preemption requested via API"
            if !request.requestor.isEmpty {
                reason = "Preempted by \(request.requestor)" + (request.reason.isEmpty ? "" : " - \(request.reason)")
            } else if !request.reason.isEmpty {
                reason = request.reason
            }
            var preempted = event(.preempted, job)
            preempted.runId = run.id
            preempted.reason = reason
            preempted.requestor = request.requestor
            endRun(of: id)
            let error = RunError(kind: .preempted, message: reason)
            var failed = event(.failed, job)
            failed.created = preempted.created
            failed.reason = reason
            switch retryGate.evaluate(gateJob(job), error: error, failures: job.countedFailures + 1) {
            case .decided(_, let decision) where decision.retry:
                failed.retryable = true
                requeue(id)
            case .decided(_, let decision):
                // An explicit Preempted rule ended the job (a Fail rule, or the kill switch): the engine's form.
                failed.reason = decision.terminalReason(for: error)
                jobs[id]?.state = .failed
            default:
                jobs[id]?.state = .failed
            }
            append(job, [preempted, failed])
        }
    }

    func gateJob(_ job: SimJob) -> RetryGate.Job {
        let q = queues[job.queue]
        return RetryGate.Job(annotations: job.annotations, queuePolicies: q?.retryPolicies ?? [], queuePolicy: q?.retryPolicy ?? "",
                             gangCardinality: job.gangCardinality)
    }

    func requeue(_ id: String) {
        defer { wakeScheduler() }
        jobs[id]?.state = .queued
        queuedOrder.append(id)
        queueNeedsSort = true
    }

    /// Nodes that could ever run the job: selector, taints and the retry anti-affinity.
    func eligibleNodes(_ job: SimJob) -> [SimConfig.Node] {
        config.nodes.filter { node in
            job.spec.nodeSelector.allSatisfy { node.labels[$0.key] == $0.value } && job.spec.tolerates(node.taints)
                && !job.avoidNodes.contains(node.name)
        }
    }

    /// The first eligible node with room for the job now, given what is in use.
    func freeNode(for job: SimJob, usage: [String: (cpu: Double, memory: Double)]) -> SimConfig.Node? {
        eligibleNodes(job).first { node in
            let used = usage[node.name] ?? (0, 0)
            return node.cpu - used.cpu >= job.cpu && node.memory - used.memory >= job.memory
        }
    }

    func fitsSomeNode(_ job: SimJob) -> Bool {
        eligibleNodes(job).contains { $0.cpu >= job.cpu && $0.memory >= job.memory }
    }

    /// Leases queued jobs in order. A long cycle lets other operations in every `leaseSlice` leases
    /// (as in Armada, where submitting never waits for a scheduling round): a submit waits for
    /// at most one slice, not the whole cycle. What arrives meanwhile (submitted or requeued
    /// jobs, requests) waits for the next cycle.
    private func lease() async {
        guard !queuedOrder.isEmpty else { return }
        if queueNeedsSort {
            queuedOrder = queuedOrder.filter { jobs[$0]?.state == .queued }
                .sorted { (jobs[$0]!.priority, jobs[$0]!.order) < (jobs[$1]!.priority, jobs[$1]!.order) }
            queueNeedsSort = false
        }
        var waiting: [String] = []
        var misses = 0
        var index = 0
        var leased = 0
        // Jobs requeued during this cycle (runs complete inline with zero step times) wait for the
        // next one, as in Armada: one lease per job per cycle.
        let scanned = queuedOrder.count
        while index < scanned {
            let id = queuedOrder[index]
            index += 1
            guard var job = jobs[id], job.state == .queued else { continue }
            if job.gangId != nil, job.runs.isEmpty {
                waiting.append(id) // a gang's first lease is for all members at once, below
                continue
            }
            if misses >= 64 { // the cluster is full: keep the rest in order for the next cycle
                index -= 1
                break
            }
            if job.runs.isEmpty, !fitsSomeNode(job) {
                job.state = .failed
                job.rejected = true
                jobs[job.id] = job
                var failed = event(.failed, job)
                failed.cause = .rejected
                failed.failureCategory = "internal"
                failed.failureSubcategory = "job-rejected"
                failed.reason = "pool \(config.pool):\n job requires cpu \(job.cpu) and memory \(Self.quantityText(job.memory, cpu: false)), "
                    + "which no node can offer\n---\n"
                append(job, [failed])
                continue
            }
            guard let node = freeNode(for: job, usage: nodeUsage) else {
                misses += 1
                waiting.append(id) // waits for capacity
                continue
            }
            let used = nodeUsage[node.name] ?? (0, 0)
            nodeUsage[node.name] = (used.cpu + job.cpu, used.memory + job.memory)
            startLease(id, on: node)
            leased += 1
            if leased % Self.leaseSlice == 0 {
                await Task.yield()
                if Task.isCancelled { break }
            }
        }
        // Jobs requeued while this cycle ran were appended to queuedOrder behind the scanned part.
        queuedOrder = waiting + queuedOrder.dropFirst(index)
        leaseGangs()
    }

    static let leaseSlice = 128

    /// Gangs (lifecycle §4.13): members are leased in the same round or not at all; with fewer
    /// queued members than the cardinality all wait; with more, or disagreeing cardinalities, every
    /// member is rejected.
    private func leaseGangs() {
        var gangs: [String: [String]] = [:]
        for id in queuedOrder {
            guard let job = jobs[id], job.state == .queued, job.runs.isEmpty, let gang = job.gangId else { continue }
            gangs[job.queue + "\u{0}" + gang, default: []].append(id)
        }
        for key in gangs.keys.sorted() {
            let members = gangs[key]!.compactMap { jobs[$0] }
            let cardinalities = Set(members.map(\.gangCardinality))
            let cardinality = members[0].gangCardinality
            if cardinalities.count > 1 || members.count > cardinality {
                for member in members {
                    jobs[member.id]?.state = .failed
                    var failed = event(.failed, member)
                    failed.cause = .rejected
                    failed.failureCategory = "internal"
                    failed.failureSubcategory = "job-rejected"
                    failed.reason = "cannot submit gang \(member.gangId ?? ""): \(members.count) members for cardinality \(cardinality)"
                    append(member, [failed])
                }
                continue
            }
            guard members.count == cardinality else { continue }
            // Place every member first; lease only if all fit.
            var usage = nodeUsage
            var placement: [(SimJob, SimConfig.Node)] = []
            for member in members {
                guard let node = freeNode(for: member, usage: usage) else { break }
                let used = usage[node.name] ?? (0, 0)
                usage[node.name] = (used.cpu + member.cpu, used.memory + member.memory)
                placement.append((member, node))
            }
            guard placement.count == members.count else { continue }
            nodeUsage = usage
            for (member, node) in placement { startLease(member.id, on: node) }
        }
    }

    /// Creates the run (capacity already reserved), emits `leased` and hands it to the executor.
    private func startLease(_ id: String, on node: SimConfig.Node) {
        guard let runIndex = jobs[id]?.runs.count else { return }
        let run = SimJob.Run(id: uuids.next(), index: runIndex, node: node.name,
                             podName: podName(id, runIndex: runIndex), kubernetesId: uuids.next(),
                             memory: jobs[id]!.memory, bump: jobs[id]!.memoryBump)
        // In place: a copy of the job would copy its runs on append.
        jobs[id]!.runs.append(run)
        runOwners[run.id] = id
        jobs[id]!.state = .leased
        let job = jobs[id]!
        var leased = event(.leased, job)
        leased.clusterId = config.executorId
        leased.pool = config.pool
        append(job, [leased])
        startRun(id, run)
    }

    /// Stops the job's live run, if any, and frees its node.
    func endRun(of id: String) {
        guard let job = jobs[id], let run = job.currentRun else { return }
        if let task = runTasks.removeValue(forKey: run.id) {
            task.cancel()
            stoppingTasks[run.id] = task // still cleaning up; stop() waits for it
        }
        if let used = nodeUsage[run.node] {
            nodeUsage[run.node] = (max(0, used.cpu - job.cpu), max(0, used.memory - job.memory))
        }
        if !ingressRoutes.isEmpty { ingressRoutes = ingressRoutes.filter { $0.value.runId != run.id } }
    }
}
