import ArmadaAPI

extension ArmadaRESTClient {
    /// `POST /v1/job/submit`. Not idempotent, so only the queue-not-visible rejection is retried.
    public func submitJobs(_ request: JobSubmitRequest) async throws(ArmadaError) -> JobSubmitResponse {
        let path = "/v1/job/submit"
        let body = try Self.encode(request, endpoint: "POST \(path)")
        // Armada deduplicates jobs by client id, so a batch whose every item has one can be sent
        // again after an Unavailable or a lost answer without submitting anything twice.
        let deduplicated = !request.jobRequestItems.isEmpty && request.jobRequestItems.allSatisfy { !($0.clientId ?? "").isEmpty }
        return try decode(JobSubmitResponse.self, try await unary("POST", path, body: body,
                                                                  retrying: deduplicated ? .idempotent : .onlyQueueNotVisible),
                          endpoint: "POST \(path)")
    }

    /// `POST /v1/job/cancel`.
    public func cancelJobs(_ request: JobCancelRequest) async throws(ArmadaError) -> CancellationResult {
        try await post("/v1/job/cancel", request, as: CancellationResult.self)
    }

    /// `POST /v1/jobset/cancel`; a job set with no active jobs is a successful no-op.
    public func cancelJobSet(_ request: JobSetCancelRequest) async throws(ArmadaError) {
        _ = try await post("/v1/jobset/cancel", request, as: JSONValue.self)
    }

    /// `POST /v1/job/preempt`.
    public func preemptJobs(_ request: JobPreemptRequest) async throws(ArmadaError) -> PreemptionResult {
        try await post("/v1/job/preempt", request, as: PreemptionResult.self)
    }

    /// `POST /v1/job/reprioritize`; empty `jobIds` reprioritizes the whole job set.
    public func reprioritizeJobs(_ request: JobReprioritizeRequest) async throws(ArmadaError) -> JobReprioritizeResponse {
        try await post("/v1/job/reprioritize", request, as: JobReprioritizeResponse.self)
    }

    /// `POST /v1/job/status`: job id → state (UNKNOWN for ids the server does not know). More ids
    /// than the server takes in one request (`JobStatusRequest.maxJobIds`) are asked in several.
    public func jobStatus(_ jobIds: [String]) async throws(ArmadaError) -> JobStatusResponse {
        var states: [String: JobState] = [:]
        for start in stride(from: 0, to: max(jobIds.count, 1), by: JobStatusRequest.maxJobIds) {
            let chunk = Array(jobIds[start..<min(jobIds.count, start + JobStatusRequest.maxJobIds)])
            let response = try await post("/v1/job/status", JobStatusRequest(jobIds: chunk), as: JobStatusResponse.self)
            states.merge(response.jobStates) { _, new in new }
        }
        return JobStatusResponse(jobStates: states)
    }

    /// `POST /v1/queues/active`: pool → queues with active jobs.
    public func activeQueues() async throws(ArmadaError) -> ActiveQueuesResponse {
        try await post("/v1/queues/active", [String: String](), as: ActiveQueuesResponse.self)
    }

    /// `POST /v1/job/details`.
    public func jobDetails(_ request: JobDetailsRequest) async throws(ArmadaError) -> JobDetailsResponse {
        try await post("/v1/job/details", request, as: JobDetailsResponse.self)
    }

    /// `POST /v1/run/details`.
    public func jobRunDetails(_ request: JobRunDetailsRequest) async throws(ArmadaError) -> JobRunDetailsResponse {
        try await post("/v1/run/details", request, as: JobRunDetailsResponse.self)
    }

    /// `POST /v1/job/errors`.
    public func jobErrors(_ request: JobErrorsRequest) async throws(ArmadaError) -> JobErrorsResponse {
        try await post("/v1/job/errors", request, as: JobErrorsResponse.self)
    }

    func post<Body: Encodable, Response: Decodable>(_ path: String, _ body: Body, as type: Response.Type,
                                                    method: String = "POST", queueLag: Bool = true) async throws(ArmadaError) -> Response {
        let endpoint = "\(method) \(path)"
        let bytes = try Self.encode(body, endpoint: endpoint)
        return try decode(type, try await unary(method, path, body: bytes, retrying: .idempotent, queueLag: queueLag), endpoint: endpoint)
    }
}
