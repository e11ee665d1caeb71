import ArmadaAPI

extension Simulator {
    static func checkReason(_ reason: String?) throws(SimError) {
        if let reason, reason.utf8.count > 50 { throw .invalid("reason must be at most 50 bytes, got \(reason.utf8.count)") }
    }

    /// Queue and job set must be given and the queue visible; a missing permission is Unknown
    /// (500) on these calls, as the real server's error escapes its handler.
    func checkTarget(queue: String?, jobSet: String?, _ principal: SimAuth.Principal, _ permission: String,
                     verb: String) throws(SimError) -> (String, String) {
        guard let queue, !queue.isEmpty else { throw .invalid("queue is a required field") }
        guard let jobSet, !jobSet.isEmpty else { throw .invalid("job set id is a required field") }
        guard isVisible(queue) else { throw SimError(.unknown, "could not find queue \"\(queue)\"") }
        guard config.auth.may(principal, permission, verb: verb, on: queues[queue]) else {
            throw SimError(.unknown, "user \(principal.name) does not have permission to \(verb) jobs in queue \(queue)")
        }
        return (queue, jobSet)
    }

    /// `CancelJobs`: `cancelling` now for every id (even terminal or foreign ones, as the server
    /// publishes without checking), `cancelled` at the next cycle for jobs of this queue and set.
    public func cancel(_ request: JobCancelRequest, as principal: SimAuth.Principal = .anonymous) async throws(SimError) -> CancellationResult {
        defer { wakeScheduler() }
        try Self.checkReason(request.reason)
        let (queue, jobSet) = try checkTarget(queue: request.queue, jobSet: request.jobSetId, principal, "cancel_any_jobs", verb: "cancel")
        var ids = request.jobIds ?? []
        if let one = request.jobId, !one.isEmpty, !ids.contains(one) { ids.append(one) }
        guard !ids.isEmpty else {
            try cancelJobSet(JobSetCancelRequest(jobSetId: jobSet, queue: queue, reason: request.reason), as: principal)
            return CancellationResult(cancelledIds: [""])
        }
        var unique: [String] = []
        for id in ids where !unique.contains(id) { unique.append(id) }
        var events: [EventMessage] = []
        for id in unique {
            var e = EventMessage(.cancelling, jobId: id, jobSetId: jobSet, queue: queue, created: now())
            e.requestor = principal.name
            events.append(e)
            if var job = jobs[id], job.queue == queue, job.jobSet == jobSet, job.state.isActive {
                job.cancelRequest = principal.name
                jobs[id] = job
                records[id]?.noteCancelReason(request.reason ?? "")
                jobsWithRequests.insert(id)
            }
        }
        logEvents(queue: queue, jobSet: jobSet, events)
        return CancellationResult(cancelledIds: unique)
    }

    /// `CancelJobSet`: invisible now; the next cycle emits `cancelling` + `cancelled` per matching job.
    public func cancelJobSet(_ request: JobSetCancelRequest, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        defer { wakeScheduler() }
        try Self.checkReason(request.reason)
        let (queue, jobSet) = try checkTarget(queue: request.queue, jobSet: request.jobSetId, principal, "cancel_any_jobs", verb: "cancel")
        let states = request.filter?.states ?? []
        let hasPending = states.contains(.pending), hasRunning = states.contains(.running)
        if hasPending != hasRunning {
            throw SimError(.unknown, "unsupported state combination: PENDING and RUNNING must be cancelled together")
        }
        pendingJobSetCancels.append((EventLog.Key(queue: queue, jobSet: jobSet), states, principal.name, request.reason ?? ""))
    }

    /// `PreemptJobs`: `preempting` now; `preempted` + `failed` at the next cycle for jobs with a
    /// live run and a preemptible priority class.
    public func preempt(_ request: JobPreemptRequest, as principal: SimAuth.Principal = .anonymous) async throws(SimError) -> PreemptionResult {
        defer { wakeScheduler() }
        try Self.checkReason(request.reason)
        let (queue, jobSet) = try checkTarget(queue: request.queue, jobSet: request.jobSetId, principal, "preempt_any_jobs", verb: "preempt")
        var results: [String: String] = [:]
        var events: [EventMessage] = []
        for id in request.jobIds ?? [] {
            var e = EventMessage(.preempting, jobId: id, jobSetId: jobSet, queue: queue, created: now())
            e.requestor = principal.name
            e.reason = request.reason ?? ""
            events.append(e)
            results[id] = ""
            if var job = jobs[id], job.queue == queue, job.jobSet == jobSet {
                job.preemptRequest = (principal.name, request.reason ?? "")
                jobs[id] = job
                jobsWithRequests.insert(id)
            }
        }
        logEvents(queue: queue, jobSet: jobSet, events)
        return PreemptionResult(preemptionResults: results)
    }

    /// `ReprioritizeJobs`: by ids, `reprioritizing` now; by job set (no ids), nothing now. The next
    /// cycle emits `reprioritized` for non-terminal jobs whose priority changes.
    public func reprioritize(_ request: JobReprioritizeRequest, as principal: SimAuth.Principal = .anonymous) async throws(SimError) -> JobReprioritizeResponse {
        defer { wakeScheduler() }
        let (queue, jobSet) = try checkTarget(queue: request.queue, jobSet: request.jobSetId, principal, "reprioritize_any_jobs", verb: "reprioritize")
        let requested = request.newPriority ?? 0
        // Priorities are int32 on the server: anything else is the gateway's InvalidArgument, never a trap.
        guard requested.isFinite, requested >= Double(Int32.min), requested <= Double(Int32.max) else {
            throw .invalid("newPriority \(JSONValue.numberText(requested)) is out of range: a priority is a 32-bit integer")
        }
        let priority = requested.rounded(.towardZero)
        let ids = request.jobIds ?? []
        if ids.isEmpty {
            pendingJobSetReprioritize.append((EventLog.Key(queue: queue, jobSet: jobSet), priority, principal.name))
            return JobReprioritizeResponse(reprioritizationResults: ["all jobs in job set \(jobSet)": ""])
        }
        var events: [EventMessage] = []
        var results: [String: String] = [:]
        for id in ids {
            var e = EventMessage(.reprioritizing, jobId: id, jobSetId: jobSet, queue: queue, created: now())
            e.newPriority = priority
            e.requestor = principal.name
            events.append(e)
            results[id] = ""
            if var job = jobs[id], job.queue == queue, job.jobSet == jobSet {
                job.reprioritizeRequest = (priority, principal.name)
                jobs[id] = job
                jobsWithRequests.insert(id)
            }
        }
        logEvents(queue: queue, jobSet: jobSet, events)
        return JobReprioritizeResponse(reprioritizationResults: results)
    }
}
