import ArmadaAPI
import Foundation
import RetryEngine

/// The simulated Armada: API operations, a scheduler loop and a fake executor driving runs
/// through a `PodRuntime`. Every operation returns what the real server returns, or a `SimError`
/// with its gRPC code and message.
public actor Simulator {
    public let config: SimConfig
    let runtime: any PodRuntime
    var log = EventLog()
    /// The log's stream lines, encoded off the actor; watchers read them without it.
    let lines = EventLines()
    /// Whether a task that hands the log's pending messages to `lines` is queued on the actor.
    var handOverQueued = false
    var queues: [String: Queue] = [:]
    var policies: [String: RetryPolicy] = [:]
    var jobs: [String: SimJob] = [:]
    /// Jobs between their `submitted` and terminal events (`activeJobCount`), and who waits for none.
    var activeJobs = 0
    var idleWaiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    /// The query database's view of each job (details, runs, errors), folded from its events.
    var records: [String: SimJobRecord] = [:]
    /// Run id → job id, for run details.
    var runOwners: [String: String] = [:]
    var jobSets: [EventLog.Key: [String]] = [:]
    var clientIds: [String: String] = [:]   // "<queue>\u{0}<clientId>" → job id
    /// Queued job ids in scheduling order (priority, then submission); `queueNeedsSort` marks
    /// when an append may have broken that order.
    var queuedOrder: [String] = []
    var queueNeedsSort = false
    /// Jobs with a cancel, preempt or reprioritize request for the next cycle.
    var jobsWithRequests = Set<String>()
    var runTasks: [String: Task<Void, Never>] = [:]
    /// Runs that were ended (cancel, preempt, expiry) and whose tasks are still cleaning up.
    var stoppingTasks: [String: Task<Void, Never>] = [:]
    var nodeUsage: [String: (cpu: Double, memory: Double)] = [:]
    /// Ingress host → the pod and container port behind it, while its run is current (`SimIngress`).
    var ingressRoutes: [String: (pod: String, port: Int, jobId: String, runId: String)] = [:]
    var ids = ULIDGenerator()
    var uuids = UUIDGenerator()
    var submitCounter = 0
    var pendingJobSetCancels: [(key: EventLog.Key, states: [JobState], requestor: String, reason: String)] = []
    var pendingJobSetReprioritize: [(key: EventLog.Key, priority: Double, requestor: String)] = []
    var schedulerTask: Task<Void, Never>?
    /// The idle scheduler loop, waiting for work (a submission, a request, a requeue).
    var schedulerWake: CheckedContinuation<Void, Never>?
    public var faults: SimFaults
    /// When each queue created at run time becomes visible to submit, cancel and watch.
    var queueVisibleAt: [String: ContinuousClock.Instant] = [:]
    /// Checks bearer tokens when the config names an OpenID provider.
    let oidc: SimOIDCVerifier?

    /// Who sent a request: a bearer token from the configured OpenID provider, basic auth, else
    /// anonymous when allowed. A token the provider's keys reject fails at once (Unauthenticated).
    public func authenticate(_ authorization: String?) async throws(SimError) -> SimAuth.Principal {
        if let oidc, let token = SimAuth.bearerToken(authorization) { return try await oidc.principal(token: token) }
        return try config.auth.authenticate(authorization)
    }

    public init(config: SimConfig = SimConfig(), runtime: (any PodRuntime)? = nil, faults: SimFaults = SimFaults()) {
        self.config = config
        self.faults = faults
        self.runtime = runtime ?? ModelRuntime(unpullableImages: config.unpullableImagePattern)
        oidc = config.auth.openId.map { SimOIDCVerifier($0) }
        for q in config.queues { if let name = q.name { queues[name] = q } }
        for p in config.retryPolicies { policies[p.name] = p }
    }

    /// Starts the scheduler loop; `stop()` ends it and every run.
    public func start() {
        guard schedulerTask == nil else { return }
        let period = config.timings.real(config.timings.cyclePeriod)
        schedulerTask = Task { [weak self] in
            while !Task.isCancelled {
                await self?.cycle()
                try? await Task.sleep(for: max(period, .microseconds(200)))
                await self?.waitForSchedulerWork()
            }
        }
    }

    /// Whether a cycle has anything to do: queued jobs (which may wait for capacity) or requests.
    var hasSchedulerWork: Bool {
        !queuedOrder.isEmpty || !jobsWithRequests.isEmpty || !pendingJobSetCancels.isEmpty || !pendingJobSetReprioritize.isEmpty
    }

    /// Returns at once when there is work, else when some arrives (or the simulator stops), so
    /// an idle simulator does not wake every cycle period.
    private func waitForSchedulerWork() async {
        guard !hasSchedulerWork, schedulerTask != nil else { return }
        await withCheckedContinuation { schedulerWake = $0 }
    }

    func wakeScheduler() {
        schedulerWake?.resume()
        schedulerWake = nil
    }

    /// Ends the scheduler and every run, and returns once the runs have cleaned up (processes
    /// killed, volumes and cgroups removed).
    public func stop() async {
        lines.resumeAll()
        schedulerTask?.cancel()
        schedulerTask = nil
        wakeScheduler()
        let tasks = Array(runTasks.values) + Array(stoppingTasks.values)
        runTasks.removeAll()
        stoppingTasks.removeAll()
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        runtime.shutdown()
    }

    var retryGate: RetryGate {
        RetryGate(enabled: config.retryEngineEnabled, globalMaxRetries: config.globalMaxRetries,
                  defaultPolicyName: config.defaultPolicyName, policies: policies)
    }

    func now() -> Timestamp { Timestamp(Date()) }

    func event(_ type: EventType, _ job: SimJob) -> EventMessage {
        EventMessage(type, jobId: job.id, jobSetId: job.jobSet, queue: job.queue, created: now())
    }

    /// Appends one job's sequence to its job set's log and folds it into the job's record (the hot
    /// path: the job is at hand, so no lookup but the record's).
    func append(_ job: SimJob, _ events: [EventMessage]) {
        log.append(queue: job.queue, jobSet: job.jobSet, events)
        handOverEvents()
        let run = job.runs.last.map { (id: $0.id, node: $0.node) }
        for event in events {
            records[job.id, default: SimJobRecord(jobId: job.id)].apply(event, run: run)
            count(event)
        }
    }

    /// Hands the log's pending messages to the encoder: at once when many wait (a long scheduler
    /// cycle), else from a task queued on the actor, which runs after the current operation, so
    /// one operation's events go over together (one wake-up of the encoder, not one per append).
    private func handOverEvents() {
        if log.pending.count >= 512 {
            lines.encode(log.takePending())
        } else if !handOverQueued {
            handOverQueued = true
            Task { self.handOverQueuedEvents() }
        }
    }

    private func handOverQueuedEvents() {
        handOverQueued = false
        lines.encode(log.takePending())
    }

    /// Keeps `activeJobCount`: a job is active from its `submitted` event to its terminal one.
    private func count(_ event: EventMessage) {
        if event.type == .submitted {
            activeJobs += 1
        } else if event.isTerminal {
            activeJobs -= 1
            if activeJobs == 0, !idleWaiters.isEmpty {
                for (_, waiter) in idleWaiters { waiter.resume() }
                idleWaiters = [:]
            }
        }
    }

    /// Appends a sequence of requests' events (one per job named) and folds each into its job's record.
    func logEvents(queue: String, jobSet: String, _ events: [EventMessage]) {
        log.append(queue: queue, jobSet: jobSet, events)
        handOverEvents()
        for event in events {
            count(event)
            guard let run = jobs[event.jobId].map({ $0.runs.last.map { (id: $0.id, node: $0.node) } }) else { continue }
            records[event.jobId, default: SimJobRecord(jobId: event.jobId)].apply(event, run: run)
        }
    }

    /// Pod name: `armada-<jobId>-0-<runIndex>` with the retry engine on (PR #4804), else `armada-<jobId>-0`.
    func podName(_ jobId: String, runIndex: Int) -> String {
        config.retryEngineEnabled ? "armada-\(jobId)-0-\(runIndex)" : "armada-\(jobId)-0"
    }

    // MARK: Events API

    /// `GetJobSetEvents` position checks: the queue must exist; with `errorIfMissing` the job set too.
    public func setFaults(_ faults: SimFaults) { self.faults = faults }

    /// Whether the queue exists and the "cache" already shows it.
    func isVisible(_ queue: String) -> Bool {
        guard queues[queue] != nil else { return false }
        guard let at = queueVisibleAt[queue] else { return true }
        return ContinuousClock.now >= at
    }

    /// Where a `GetJobSetEvents` call starts, and where a `watch: false` call ends.
    func eventsStart(_ request: JobSetRequest, as principal: SimAuth.Principal = .anonymous) throws(SimError) -> (start: Int, end: Int) {
        guard isVisible(request.queue) else {
            throw SimError(.notFound, "[GetJobSetEvents] Queue \(request.queue) does not exist")
        }
        guard config.auth.may(principal, "watch_all_events", verb: "watch", on: queues[request.queue]) else {
            throw SimError(.permissionDenied, "user \(principal.name) does not have permission to watch queue \(request.queue)")
        }
        if request.errorIfMissing, !log.exists(queue: request.queue, jobSet: request.id) {
            throw SimError(.notFound, "[GetJobSetEvents] Jobset \(request.id) for queue \(request.queue) does not exist")
        }
        return (try log.position(queue: request.queue, jobSet: request.id, after: request.fromMessageId),
                log.count(queue: request.queue, jobSet: request.id))
    }

    nonisolated func readEvents(queue: String, jobSet: String, from position: Int, limit: Int) -> ArraySlice<[UInt8]> {
        lines.read(EventLog.Key(queue: queue, jobSet: jobSet), from: position, limit: limit)
    }

    /// Returns once the stream holds more than `count` readable messages, or the task is cancelled.
    nonisolated func waitForEvents(queue: String, jobSet: String, than count: Int) async {
        await lines.wait(EventLog.Key(queue: queue, jobSet: jobSet), moreThan: count)
    }

    /// Events logged (and readable) so far over every job set.
    public var loggedEvents: Int { lines.total }

    /// Returns once more than `count` events have been logged over every job set (or the task is
    /// cancelled), with the new total: lets tests and tools follow the simulator without polling.
    @discardableResult
    public func waitForLoggedEvents(moreThan count: Int) async -> Int {
        await lines.waitForTotal(moreThan: count)
    }

    /// Returns once no job is active (at once when none is), or when the task is cancelled: one
    /// wake-up for a whole run, where following every logged event costs a hop per append.
    public func waitUntilIdle() async {
        if activeJobs > 0 {
            let id = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    if Task.isCancelled || activeJobs == 0 {
                        continuation.resume()
                    } else {
                        idleWaiters[id] = continuation
                    }
                }
            } onCancel: {
                Task { await self.cancelIdleWaiter(id) }
            }
        }
        // Idle includes every event being readable.
        lines.encode(log.takePending())
        let logged = log.total
        while !Task.isCancelled, lines.total < logged { await lines.waitForTotal(moreThan: lines.total) }
    }

    private func cancelIdleWaiter(_ id: UUID) {
        idleWaiters.removeValue(forKey: id)?.resume()
    }

    /// Jobs not yet succeeded, failed or cancelled.
    /// Jobs not yet in a terminal state, counted as their events are logged (constant time: the
    /// benchmarks ask after every event).
    public var activeJobCount: Int { activeJobs }
    /// The count kept from the events, and the same by a walk over every job, at one moment (for
    /// the tests that keep the count honest).
    public var activeJobCounts: (counted: Int, walked: Int) { (activeJobs, jobs.values.filter { $0.state.isActive }.count) }

    // MARK: Status

    public func jobStatus(_ ids: [String]) throws(SimError) -> JobStatusResponse {
        try Self.checkQuery(ids, "job ids")
        var states: [String: JobState] = [:]
        for id in ids { states[id] = jobs[id]?.state.jobState ?? .unknown }
        return JobStatusResponse(jobStates: states)
    }

    public func activeQueues() -> ActiveQueuesResponse {
        var names = Set<String>()
        for job in jobs.values where job.state.isActive { names.insert(job.queue) }
        return ActiveQueuesResponse(activeQueuesByPool: names.isEmpty ? [:] : [config.pool: .init(queues: names.sorted())])
    }

    /// Counts for tests and benchmarks.
    public func jobCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for job in jobs.values { counts[job.state.name, default: 0] += 1 }
        return counts
    }
}

extension Simulator {
    /// The pod runtime in use, for banners.
    public var runtimeName: String { runtime.name }
}
