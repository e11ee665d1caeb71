import ArmadaAPI
import ArmadaGRPC

/// The job calls other than submit (cancel, cancel job set, preempt, reprioritize, status, the
/// node actions, the event-stream request) and their answers, between the REST wire types and the
/// gRPC messages. Towards the REST types, empty strings and lists are absent, as the gateway's JSON
/// leaves them out, so the simulator's handlers see the same values from either front door.
public enum JobRequestWire {
    static func text(_ s: String) -> String? { s.isEmpty ? nil : s }
    static func list<T>(_ l: [T]) -> [T]? { l.isEmpty ? nil : l }

    // MARK: Requests, runner → server

    public static func proto(from r: JobCancelRequest) -> Api_JobCancelRequest {
        var p = Api_JobCancelRequest()
        (p.jobID, p.jobSetID, p.queue) = (r.jobId ?? "", r.jobSetId ?? "", r.queue ?? "")
        (p.jobIds, p.reason) = (r.jobIds ?? [], r.reason ?? "")
        return p
    }

    public static func proto(from r: JobSetCancelRequest) -> Api_JobSetCancelRequest {
        var p = Api_JobSetCancelRequest()
        (p.jobSetID, p.queue, p.reason) = (r.jobSetId ?? "", r.queue ?? "", r.reason ?? "")
        if let filter = r.filter {
            p.filter.states = (filter.states ?? []).map { Api_JobState(rawValue: $0.rawValue) ?? .UNRECOGNIZED($0.rawValue) }
        }
        return p
    }

    public static func proto(from r: JobPreemptRequest) -> Api_JobPreemptRequest {
        var p = Api_JobPreemptRequest()
        (p.queue, p.jobSetID, p.jobIds, p.reason) = (r.queue ?? "", r.jobSetId ?? "", r.jobIds ?? [], r.reason ?? "")
        return p
    }

    public static func proto(from r: JobReprioritizeRequest) -> Api_JobReprioritizeRequest {
        var p = Api_JobReprioritizeRequest()
        (p.jobIds, p.jobSetID, p.queue, p.newPriority) = (r.jobIds ?? [], r.jobSetId ?? "", r.queue ?? "", r.newPriority ?? 0)
        return p
    }

    public static func proto(from r: JobSetRequest) -> Api_JobSetRequest {
        var p = Api_JobSetRequest()
        (p.id, p.queue, p.watch, p.fromMessageID, p.errorIfMissing) = (r.id, r.queue, r.watch, r.fromMessageId, r.errorIfMissing)
        return p
    }

    public static func proto(cancel r: NodeCancelRequest) -> Api_NodeCancelRequest {
        var p = Api_NodeCancelRequest()
        (p.name, p.executor, p.queues, p.priorityClasses) = (r.name ?? "", r.executor ?? "", r.queues ?? [], r.priorityClasses ?? [])
        return p
    }

    public static func proto(preempt r: NodePreemptRequest) -> Api_NodePreemptRequest {
        var p = Api_NodePreemptRequest()
        (p.name, p.executor, p.queues, p.priorityClasses) = (r.name ?? "", r.executor ?? "", r.queues ?? [], r.priorityClasses ?? [])
        return p
    }

    // MARK: Requests, as the server receives them

    public static func request(from p: Api_JobCancelRequest) -> JobCancelRequest {
        JobCancelRequest(jobId: text(p.jobID), jobSetId: text(p.jobSetID), queue: text(p.queue), jobIds: list(p.jobIds), reason: text(p.reason))
    }

    public static func request(from p: Api_JobSetCancelRequest) -> JobSetCancelRequest {
        JobSetCancelRequest(jobSetId: text(p.jobSetID), queue: text(p.queue),
                            filter: p.hasFilter ? JobSetFilter(states: p.filter.states.compactMap { JobState(rawValue: $0.rawValue) }) : nil,
                            reason: text(p.reason))
    }

    public static func request(from p: Api_JobPreemptRequest) -> JobPreemptRequest {
        JobPreemptRequest(queue: text(p.queue), jobSetId: text(p.jobSetID), jobIds: list(p.jobIds), reason: text(p.reason))
    }

    public static func request(from p: Api_JobReprioritizeRequest) -> JobReprioritizeRequest {
        JobReprioritizeRequest(jobIds: list(p.jobIds), jobSetId: text(p.jobSetID), queue: text(p.queue),
                               newPriority: p.newPriority == 0 ? nil : p.newPriority)
    }

    public static func request(from p: Api_JobSetRequest) -> JobSetRequest {
        JobSetRequest(id: p.id, queue: p.queue, watch: p.watch, fromMessageId: p.fromMessageID, errorIfMissing: p.errorIfMissing)
    }

    public static func request(from p: Api_NodeCancelRequest) -> NodeCancelRequest {
        NodeCancelRequest(name: text(p.name), executor: text(p.executor), queues: list(p.queues), priorityClasses: list(p.priorityClasses))
    }

    public static func request(from p: Api_NodePreemptRequest) -> NodePreemptRequest {
        NodePreemptRequest(name: text(p.name), executor: text(p.executor), queues: list(p.queues), priorityClasses: list(p.priorityClasses))
    }

    // MARK: Answers

    public static func response(from p: Api_JobSubmitResponse) -> JobSubmitResponse {
        JobSubmitResponse(jobResponseItems: p.jobResponseItems.map { .init(jobId: $0.jobID, error: text($0.error)) })
    }

    public static func proto(from r: JobSubmitResponse) -> Api_JobSubmitResponse {
        var p = Api_JobSubmitResponse()
        p.jobResponseItems = r.jobResponseItems.map { item in
            var i = Api_JobSubmitResponseItem()
            (i.jobID, i.error) = (item.jobId, item.error ?? "")
            return i
        }
        return p
    }

    public static func result(from p: Api_CancellationResult) -> CancellationResult { CancellationResult(cancelledIds: p.cancelledIds) }

    public static func proto(from r: CancellationResult) -> Api_CancellationResult {
        var p = Api_CancellationResult()
        p.cancelledIds = r.cancelledIds
        return p
    }

    public static func result(from p: Api_PreemptionResult) -> PreemptionResult { PreemptionResult(preemptionResults: p.preemptionResults) }

    public static func proto(from r: PreemptionResult) -> Api_PreemptionResult {
        var p = Api_PreemptionResult()
        p.preemptionResults = r.preemptionResults
        return p
    }

    public static func response(from p: Api_JobReprioritizeResponse) -> JobReprioritizeResponse {
        JobReprioritizeResponse(reprioritizationResults: p.reprioritizationResults)
    }

    public static func proto(from r: JobReprioritizeResponse) -> Api_JobReprioritizeResponse {
        var p = Api_JobReprioritizeResponse()
        p.reprioritizationResults = r.reprioritizationResults
        return p
    }

    public static func response(from p: Api_JobStatusResponse) -> JobStatusResponse {
        JobStatusResponse(jobStates: p.jobStates.mapValues { JobState(rawValue: $0.rawValue) ?? .unknown })
    }

    public static func proto(from r: JobStatusResponse) -> Api_JobStatusResponse {
        var p = Api_JobStatusResponse()
        p.jobStates = r.jobStates.mapValues { Api_JobState(rawValue: $0.rawValue) ?? .unknown }
        return p
    }

    public static func response(from p: Api_GetActiveQueuesResponse) -> ActiveQueuesResponse {
        ActiveQueuesResponse(activeQueuesByPool: p.activeQueuesByPool.mapValues { .init(queues: $0.queues) })
    }

    public static func proto(from r: ActiveQueuesResponse) -> Api_GetActiveQueuesResponse {
        var p = Api_GetActiveQueuesResponse()
        p.activeQueuesByPool = r.activeQueuesByPool.mapValues { a in
            var q = Api_ActiveQueues()
            q.queues = a.queues
            return q
        }
        return p
    }

    /// One message of the job-set event stream; nil for an event type the message cannot hold.
    public static func message(from p: Api_EventStreamMessage) -> EventStreamMessage {
        EventStreamMessage(id: p.id, message: EventWire.message(from: p.message))
    }

    public static func proto(from m: EventStreamMessage) -> Api_EventStreamMessage? {
        guard let event = EventWire.proto(from: m.message) else { return nil }
        var p = Api_EventStreamMessage()
        (p.id, p.message) = (m.id, event)
        return p
    }
}
