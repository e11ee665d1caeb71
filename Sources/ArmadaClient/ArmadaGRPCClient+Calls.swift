import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import RetryEngine
import SwiftProtobuf

extension ArmadaGRPCClient {
    // MARK: Jobs (api.Submit, api.Jobs, api.Node)

    /// `api.Submit/SubmitJobs`. Not idempotent unless every item has a client id (Armada
    /// deduplicates by it), so otherwise only the queue-not-visible rejection is retried.
    public func submitJobs(_ request: JobSubmitRequest) async throws(ArmadaError) -> JobSubmitResponse {
        let method = "api.Submit/SubmitJobs"
        let message: Api_JobSubmitRequest
        do {
            message = try SubmitWire.proto(from: request)
        } catch {
            throw ArmadaError(.configuration, endpoint: method, message: "a pod spec cannot be sent over gRPC: \(error)")
        }
        let deduplicated = !request.jobRequestItems.isEmpty && request.jobRequestItems.allSatisfy { !($0.clientId ?? "").isEmpty }
        let response = try await unary(method, message, retrying: deduplicated ? .idempotent : .onlyQueueNotVisible) {
            try await Api_Submit.Client(wrapping: $0).submitJobs(request: $1, options: $2) { try $0.message }
        }
        return JobRequestWire.response(from: response)
    }

    public func cancelJobs(_ request: JobCancelRequest) async throws(ArmadaError) -> CancellationResult {
        JobRequestWire.result(from: try await unary("api.Submit/CancelJobs", JobRequestWire.proto(from: request)) {
            try await Api_Submit.Client(wrapping: $0).cancelJobs(request: $1, options: $2) { try $0.message }
        })
    }

    public func cancelJobSet(_ request: JobSetCancelRequest) async throws(ArmadaError) {
        _ = try await unary("api.Submit/CancelJobSet", JobRequestWire.proto(from: request)) {
            try await Api_Submit.Client(wrapping: $0).cancelJobSet(request: $1, options: $2) { try $0.message }
        }
    }

    public func preemptJobs(_ request: JobPreemptRequest) async throws(ArmadaError) -> PreemptionResult {
        JobRequestWire.result(from: try await unary("api.Submit/PreemptJobs", JobRequestWire.proto(from: request)) {
            try await Api_Submit.Client(wrapping: $0).preemptJobs(request: $1, options: $2) { try $0.message }
        })
    }

    public func reprioritizeJobs(_ request: JobReprioritizeRequest) async throws(ArmadaError) -> JobReprioritizeResponse {
        JobRequestWire.response(from: try await unary("api.Submit/ReprioritizeJobs", JobRequestWire.proto(from: request)) {
            try await Api_Submit.Client(wrapping: $0).reprioritizeJobs(request: $1, options: $2) { try $0.message }
        })
    }

    /// `api.Jobs/GetJobStatus`, in chunks of at most `JobStatusRequest.maxJobIds` ids.
    public func jobStatus(_ jobIds: [String]) async throws(ArmadaError) -> JobStatusResponse {
        var states: [String: JobState] = [:]
        for start in stride(from: 0, to: max(jobIds.count, 1), by: JobStatusRequest.maxJobIds) {
            var message = Api_JobStatusRequest()
            message.jobIds = Array(jobIds[start..<min(jobIds.count, start + JobStatusRequest.maxJobIds)])
            let response = try await unary("api.Jobs/GetJobStatus", message) {
                try await Api_Jobs.Client(wrapping: $0).getJobStatus(request: $1, options: $2) { try $0.message }
            }
            states.merge(JobRequestWire.response(from: response).jobStates) { _, new in new }
        }
        return JobStatusResponse(jobStates: states)
    }

    public func activeQueues() async throws(ArmadaError) -> ActiveQueuesResponse {
        JobRequestWire.response(from: try await unary("api.Jobs/GetActiveQueues", Api_GetActiveQueuesRequest()) {
            try await Api_Jobs.Client(wrapping: $0).getActiveQueues(request: $1, options: $2) { try $0.message }
        })
    }

    public func jobDetails(_ request: JobDetailsRequest) async throws(ArmadaError) -> JobDetailsResponse {
        JobDetailsWire.response(from: try await unary("api.Jobs/GetJobDetails", JobDetailsWire.proto(from: request)) {
            try await Api_Jobs.Client(wrapping: $0).getJobDetails(request: $1, options: $2) { try $0.message }
        })
    }

    public func jobRunDetails(_ request: JobRunDetailsRequest) async throws(ArmadaError) -> JobRunDetailsResponse {
        JobDetailsWire.response(from: try await unary("api.Jobs/GetJobRunDetails", JobDetailsWire.proto(from: request)) {
            try await Api_Jobs.Client(wrapping: $0).getJobRunDetails(request: $1, options: $2) { try $0.message }
        })
    }

    public func jobErrors(_ request: JobErrorsRequest) async throws(ArmadaError) -> JobErrorsResponse {
        JobDetailsWire.response(from: try await unary("api.Jobs/GetJobErrors", JobDetailsWire.proto(from: request)) {
            try await Api_Jobs.Client(wrapping: $0).getJobErrors(request: $1, options: $2) { try $0.message }
        })
    }

    public func cancelOnNode(_ request: NodeCancelRequest) async throws(ArmadaError) {
        _ = try await unary("api.Node/CancelOnNode", JobRequestWire.proto(cancel: request)) {
            try await Api_Node.Client(wrapping: $0).cancelOnNode(request: $1, options: $2) { try $0.message }
        }
    }

    public func preemptOnNode(_ request: NodePreemptRequest) async throws(ArmadaError) {
        _ = try await unary("api.Node/PreemptOnNode", JobRequestWire.proto(preempt: request)) {
            try await Api_Node.Client(wrapping: $0).preemptOnNode(request: $1, options: $2) { try $0.message }
        }
    }

    // MARK: Queues (api.Submit; queue CRUD reads the database, so "not found" is final)

    public func createQueue(_ queue: Queue) async throws(ArmadaError) {
        _ = try await unary("api.Submit/CreateQueue", QueueWire.proto(from: queue), queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).createQueue(request: $1, options: $2) { try $0.message }
        }
    }

    public func createQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse {
        var list = Api_QueueList()
        list.queues = queues.map(QueueWire.proto(from:))
        return QueueWire.response(from: try await unary("api.Submit/CreateQueues", list, queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).createQueues(request: $1, options: $2) { try $0.message }
        })
    }

    public func updateQueue(_ queue: Queue) async throws(ArmadaError) {
        _ = try await unary("api.Submit/UpdateQueue", QueueWire.proto(from: queue), queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).updateQueue(request: $1, options: $2) { try $0.message }
        }
    }

    public func updateQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse {
        var list = Api_QueueList()
        list.queues = queues.map(QueueWire.proto(from:))
        return QueueWire.response(from: try await unary("api.Submit/UpdateQueues", list, queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).updateQueues(request: $1, options: $2) { try $0.message }
        })
    }

    public func deleteQueue(_ name: String) async throws(ArmadaError) {
        var message = Api_QueueDeleteRequest()
        message.name = name
        _ = try await unary("api.Submit/DeleteQueue", message, queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).deleteQueue(request: $1, options: $2) { try $0.message }
        }
    }

    public func getQueue(_ name: String) async throws(ArmadaError) -> Queue {
        var message = Api_QueueGetRequest()
        message.name = name
        return QueueWire.queue(from: try await unary("api.Submit/GetQueue", message, queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).getQueue(request: $1, options: $2) { try $0.message }
        })
    }

    /// `api.Submit/GetQueues` (server streaming), read until the end marker.
    public func getQueues(limit: UInt32) async throws(ArmadaError) -> [Queue] {
        var message = Api_StreamingQueueGetRequest()
        message.num = limit
        let queues = try await unary("api.Submit/GetQueues", message, queueLag: false) {
            try await Api_Submit.Client(wrapping: $0).getQueues(request: $1, options: $2) { response in
                var queues: [Api_Queue] = []
                for try await item in response.messages {
                    switch item.event {
                    case .queue(let q): queues.append(q)
                    case .end: return queues
                    case nil: continue
                    }
                }
                return queues
            }
        }
        return queues.map(QueueWire.queue(from:))
    }

    // MARK: Retry policies (api.RetryPolicyService)

    public func createRetryPolicy(_ policy: RetryEngine.RetryPolicy) async throws(ArmadaError) {
        _ = try await unary("api.RetryPolicyService/CreateRetryPolicy", RetryPolicyWire.proto(from: policy)) {
            try await Api_RetryPolicyService.Client(wrapping: $0).createRetryPolicy(request: $1, options: $2) { try $0.message }
        }
    }

    public func updateRetryPolicy(_ policy: RetryEngine.RetryPolicy) async throws(ArmadaError) {
        _ = try await unary("api.RetryPolicyService/UpdateRetryPolicy", RetryPolicyWire.proto(from: policy)) {
            try await Api_RetryPolicyService.Client(wrapping: $0).updateRetryPolicy(request: $1, options: $2) { try $0.message }
        }
    }

    public func deleteRetryPolicy(_ name: String) async throws(ArmadaError) {
        var message = Api_RetryPolicyDeleteRequest()
        message.name = name
        _ = try await unary("api.RetryPolicyService/DeleteRetryPolicy", message) {
            try await Api_RetryPolicyService.Client(wrapping: $0).deleteRetryPolicy(request: $1, options: $2) { try $0.message }
        }
    }

    public func getRetryPolicy(_ name: String) async throws(ArmadaError) -> RetryEngine.RetryPolicy {
        var message = Api_RetryPolicyGetRequest()
        message.name = name
        return RetryPolicyWire.policy(from: try await unary("api.RetryPolicyService/GetRetryPolicy", message) {
            try await Api_RetryPolicyService.Client(wrapping: $0).getRetryPolicy(request: $1, options: $2) { try $0.message }
        })
    }

    public func listRetryPolicies() async throws(ArmadaError) -> [RetryEngine.RetryPolicy] {
        try await unary("api.RetryPolicyService/GetRetryPolicies", Api_RetryPolicyListRequest()) {
            try await Api_RetryPolicyService.Client(wrapping: $0).getRetryPolicies(request: $1, options: $2) { try $0.message }
        }.retryPolicies.map(RetryPolicyWire.policy(from:))
    }
}
