import ArmadaAPI
import RetryEngine

/// Everything the runner asks of Armada, whichever front door answers: the REST gateway
/// (`ArmadaRESTClient`) or the gRPC API (`ArmadaGRPCClient`). Both speak the REST wire types, so the
/// watcher, the matcher and the reports never know which transport fed them (one event model, two
/// decoders). Errors are `ArmadaError`s with the gRPC status code either way.
public protocol ArmadaAPIClient: Sendable {
    /// `REST` or `gRPC`, for banners and reports.
    var transportKind: ArmadaTransport { get }
    /// The credentials every call carries; the watcher asks them to refresh after a rejection.
    var credentials: any CredentialProvider { get }
    /// A copy whose calls, retries included, give up after `deadline` (cleanup after a test).
    func limited(to deadline: Duration) -> any ArmadaAPIClient

    func health() async throws(ArmadaError)

    func submitJobs(_ request: JobSubmitRequest) async throws(ArmadaError) -> JobSubmitResponse
    func cancelJobs(_ request: JobCancelRequest) async throws(ArmadaError) -> CancellationResult
    func cancelJobSet(_ request: JobSetCancelRequest) async throws(ArmadaError)
    func preemptJobs(_ request: JobPreemptRequest) async throws(ArmadaError) -> PreemptionResult
    func reprioritizeJobs(_ request: JobReprioritizeRequest) async throws(ArmadaError) -> JobReprioritizeResponse
    func jobStatus(_ jobIds: [String]) async throws(ArmadaError) -> JobStatusResponse
    func activeQueues() async throws(ArmadaError) -> ActiveQueuesResponse
    /// Job details from Armada's query database (`api.Jobs/GetJobDetails`), with spec and runs on request.
    func jobDetails(_ request: JobDetailsRequest) async throws(ArmadaError) -> JobDetailsResponse
    /// Run details (`api.Jobs/GetJobRunDetails`): node, times and state of each run.
    func jobRunDetails(_ request: JobRunDetailsRequest) async throws(ArmadaError) -> JobRunDetailsResponse
    /// The errors that ended jobs (`api.Jobs/GetJobErrors`).
    func jobErrors(_ request: JobErrorsRequest) async throws(ArmadaError) -> JobErrorsResponse
    /// Cancels every job on a node (`api.Node/CancelOnNode`); gRPC only.
    func cancelOnNode(_ request: NodeCancelRequest) async throws(ArmadaError)
    /// Preempts every job on a node (`api.Node/PreemptOnNode`); gRPC only.
    func preemptOnNode(_ request: NodePreemptRequest) async throws(ArmadaError)

    func createQueue(_ queue: Queue) async throws(ArmadaError)
    func createQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse
    func updateQueue(_ queue: Queue) async throws(ArmadaError)
    func updateQueues(_ queues: [Queue]) async throws(ArmadaError) -> BatchQueueResponse
    func deleteQueue(_ name: String) async throws(ArmadaError)
    func getQueue(_ name: String) async throws(ArmadaError) -> Queue
    func getQueues(limit: UInt32) async throws(ArmadaError) -> [Queue]

    func createRetryPolicy(_ policy: RetryPolicy) async throws(ArmadaError)
    func updateRetryPolicy(_ policy: RetryPolicy) async throws(ArmadaError)
    func deleteRetryPolicy(_ name: String) async throws(ArmadaError)
    func getRetryPolicy(_ name: String) async throws(ArmadaError) -> RetryPolicy
    func listRetryPolicies() async throws(ArmadaError) -> [RetryPolicy]

    /// One connection to a job set's event stream; `JobSetWatcher` resumes across connections.
    func events(_ request: JobSetRequest) async throws(ArmadaError) -> AsyncThrowingStream<EventStreamMessage, any Error>
}

extension ArmadaAPIClient {
    public func getQueues() async throws(ArmadaError) -> [Queue] { try await getQueues(limit: 0) }
}

/// Which of Armada's APIs a client speaks.
public enum ArmadaTransport: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case rest
    case grpc

    public var description: String {
        switch self {
        case .rest: "REST"
        case .grpc: "gRPC"
        }
    }
}
