import ArmadaAPI

/// What Armada's query database holds for one job, which the Jobs API's details, run details and
/// errors read (REST doc §3.12). Built from the job's events as they are logged, the way Armada's
/// query ingester builds it from the event stream, so the answers can never disagree with the events.
/// Pure: `apply` is the whole of it.
struct SimJobRecord: Sendable {
    private(set) var details: JobDetails
    /// The error that ended the job (the terminal `failed` event's reason); nil while it has none.
    private(set) var error: String?

    init(jobId: String) {
        details = JobDetails(jobId: jobId)
    }

    /// A cancel request's reason, which the `cancelling` event does not carry.
    mutating func noteCancelReason(_ reason: String) {
        if !reason.isEmpty { details.cancelReason = reason }
    }

    /// Folds one logged event in. `run` is the job's current run (its id and node), when it has one.
    mutating func apply(_ event: EventMessage, run: (id: String, node: String)?) {
        guard let type = event.type else { return }
        let at = event.created
        switch type {
        case .submitted:
            details.queue = event.queue
            details.jobset = event.jobSetId
            details.jobSpec = event.job
            details.namespace = event.job?.namespace ?? ""
            details.submittedTs = at
            transition(to: .queued, at: at)
        case .leased:
            guard let run else { return }
            details.jobRuns.append(JobRunDetails(runId: run.id, jobId: details.jobId, state: .leased, cluster: event.clusterId,
                                                 node: run.node, leasedTs: at))
            details.latestRunId = run.id
            transition(to: .leased, at: at)
        case .pending:
            updateRun { $0.state = .pending; $0.pendingTs = at }
            transition(to: .pending, at: at)
        case .running:
            updateRun {
                $0.state = .running
                $0.startedTs = at
                if !event.nodeName.isEmpty { $0.node = event.nodeName }
            }
            transition(to: .running, at: at)
        case .ingressInfo:
            updateRun { $0.ingressAddresses = event.ingressAddresses }
        case .succeeded:
            finishRun(.succeeded, at: at)
            transition(to: .succeeded, at: at)
        case .preempted:
            finishRun(.preempted, at: at)
        case .leaseReturned:
            finishRun(.leaseReturned, at: at)
            transition(to: .queued, at: at)
        case .leaseExpired:
            finishRun(.leaseExpired, at: at)
        case .failed:
            finishRun(.failed, at: at)
            if event.retryable {
                transition(to: .queued, at: at) // requeued for the next run
            } else {
                error = Self.errorText(event)
                transition(to: .failed, at: at)
            }
        case .cancelling:
            details.cancelUser = event.requestor
        case .cancelled:
            finishRun(.cancelled, at: at)
            details.cancelTs = at
            if !event.requestor.isEmpty { details.cancelUser = event.requestor }
            transition(to: .cancelled, at: at)
        default:
            break
        }
    }

    /// The details as the API answers them: spec and runs only when asked for.
    func answer(expandJobSpec: Bool, expandJobRun: Bool) -> JobDetails {
        var out = details
        if !expandJobSpec { out.jobSpec = nil }
        if !expandJobRun { out.jobRuns = [] }
        return out
    }

    func run(_ id: String) -> JobRunDetails? { details.jobRuns.first { $0.runId == id } }

    var runIds: [String] { details.jobRuns.map(\.runId) }

    private mutating func transition(to state: JobState, at: Timestamp?) {
        details.state = state
        details.lastTransitionTs = at
    }

    private mutating func updateRun(_ change: (inout JobRunDetails) -> Void) {
        guard !details.jobRuns.isEmpty else { return }
        change(&details.jobRuns[details.jobRuns.count - 1])
    }

    /// Ends the latest run unless it has already ended (a `preempted` run stays preempted when the
    /// job's `failed` follows).
    private mutating func finishRun(_ state: JobRunState, at: Timestamp?) {
        updateRun { run in
            guard !run.state.isFinished else { return }
            run.state = state
            run.finishedTs = at
        }
    }

    /// The text Armada keeps for a job's terminal error: the failure's reason, else what its
    /// containers reported.
    static func errorText(_ event: EventMessage) -> String {
        if !event.reason.isEmpty { return event.reason }
        let statuses = event.containerStatuses.map { status in
            "container \(status.name) exited with code \(status.exitCode)" + (status.message.isEmpty ? "" : ": \(status.message)")
        }
        return statuses.isEmpty ? "the job failed" : statuses.joined(separator: "\n")
    }
}
