import ArmadaAPI
import ArmadaClient
import RetryEngine

/// The `ArmadaAPIClient` of a replay: its event stream is a tape's events (from the message after
/// `fromMessageId`, then the end, as a one-shot read ends); every other call answers at once with
/// nothing, as the tape already holds what the recorded run's actions caused.
struct TapeClient: ArmadaAPIClient {
    let events: [EventStreamMessage]

    var transportKind: ArmadaTransport { .rest }
    var credentials: any CredentialProvider { NoCredentials() }
    func limited(to deadline: Duration) -> any ArmadaAPIClient { self }

    func events(_ request: JobSetRequest) async throws(ArmadaError) -> AsyncThrowingStream<EventStreamMessage, any Error> {
        let start = request.fromMessageId.isEmpty ? 0 : (events.firstIndex { $0.id == request.fromMessageId }.map { $0 + 1 } ?? events.count)
        let remaining = events[start...]
        return AsyncThrowingStream { continuation in
            for message in remaining { continuation.yield(message) }
            continuation.finish()
        }
    }

    func health() async throws(ArmadaError) {}
    func submitJobs(_ request: JobSubmitRequest) async throws(ArmadaError) -> JobSubmitResponse { JobSubmitResponse(jobResponseItems: []) }
    func cancelJobs(_ request: JobCancelRequest) async throws(ArmadaError) -> CancellationResult { CancellationResult(cancelledIds: []) }
    func cancelJobSet(_ request: JobSetCancelRequest) async throws(ArmadaError) {}
    func preemptJobs(_ request: JobPreemptRequest) async throws(ArmadaError) -> PreemptionResult { PreemptionResult(preemptionResults: [:]) }
    func reprioritizeJobs(_ request: JobReprioritizeRequest) async throws(ArmadaError) -> JobReprioritizeResponse {
        JobReprioritizeResponse(reprioritizationResults: [:])
    }
    func jobStatus(_ jobIds: [String]) async throws(ArmadaError) -> JobStatusResponse { JobStatusResponse(jobStates: [:]) }
    func activeQueues() async throws(ArmadaError) -> ActiveQueuesResponse { ActiveQueuesResponse(activeQueuesByPool: [:]) }
    func jobDetails(_ request: JobDetailsRequest) async throws(ArmadaError) -> JobDetailsResponse { JobDetailsResponse(jobDetails: [:]) }
    func jobRunDetails(_ request: JobRunDetailsRequest) async throws(ArmadaError) -> JobRunDetailsResponse { JobRunDetailsResponse(jobRunDetails: [:]) }
    func jobErrors(_ request: JobErrorsRequest) async throws(ArmadaError) -> JobErrorsResponse { JobErrorsResponse(jobErrors: [:]) }
    func cancelOnNode(_ request: NodeCancelRequest) async throws(ArmadaError) {}
    func preemptOnNode(_ request: NodePreemptRequest) async throws(ArmadaError) {}
    func createQueue(_ queue: Queue) async throws(ArmadaError) {}
    func createQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse { BatchQueueResponse(failedQueues: []) }
    func updateQueue(_ queue: Queue) async throws(ArmadaError) {}
    func updateQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse { BatchQueueResponse(failedQueues: []) }
    func deleteQueue(_ name: String) async throws(ArmadaError) {}
    func getQueue(_ name: String) async throws(ArmadaError) -> Queue { Queue(name: name) }
    func getQueues(limit: UInt32) async throws(ArmadaError) -> [Queue] { [] }
    func createRetryPolicy(_ policy: RetryPolicy) async throws(ArmadaError) {}
    func updateRetryPolicy(_ policy: RetryPolicy) async throws(ArmadaError) {}
    func deleteRetryPolicy(_ name: String) async throws(ArmadaError) {}
    func getRetryPolicy(_ name: String) async throws(ArmadaError) -> RetryPolicy { RetryPolicy(name: name) }
    func listRetryPolicies() async throws(ArmadaError) -> [RetryPolicy] { [] }
}
