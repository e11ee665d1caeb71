import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore

/// `api.Jobs` on the simulator: the same queries as the REST gateway's `/v1/job/*` and `/v1/run/details`.
struct SimJobsService: Api_Jobs.ServiceProtocol {
    let sim: Simulator

    func getJobStatus(request: ServerRequest<Api_JobStatusRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobStatusResponse> {
        try await SimGRPC.unary(sim, request) { message, _ in JobRequestWire.proto(from: try await sim.jobStatus(message.jobIds)) }
    }

    func getJobStatusUsingExternalJobUri(request: ServerRequest<Api_JobStatusUsingExternalJobUriRequest>,
                                         context: ServerContext) async throws -> ServerResponse<Api_JobStatusResponse> {
        try await SimGRPC.unary(sim, request) { message, _ in
            JobRequestWire.proto(from: try await sim.jobStatus(JobDetailsWire.request(from: message)))
        }
    }

    func getJobDetails(request: ServerRequest<Api_JobDetailsRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobDetailsResponse> {
        try await SimGRPC.unary(sim, request) { message, _ in
            JobDetailsWire.proto(from: try await sim.jobDetails(JobDetailsWire.request(from: message)))
        }
    }

    func getJobErrors(request: ServerRequest<Api_JobErrorsRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobErrorsResponse> {
        try await SimGRPC.unary(sim, request) { message, _ in
            JobDetailsWire.proto(from: try await sim.jobErrors(JobDetailsWire.request(from: message)))
        }
    }

    func getJobRunDetails(request: ServerRequest<Api_JobRunDetailsRequest>,
                          context: ServerContext) async throws -> ServerResponse<Api_JobRunDetailsResponse> {
        try await SimGRPC.unary(sim, request) { message, _ in
            JobDetailsWire.proto(from: try await sim.jobRunDetails(JobDetailsWire.request(from: message)))
        }
    }

    func getActiveQueues(request: ServerRequest<Api_GetActiveQueuesRequest>,
                         context: ServerContext) async throws -> ServerResponse<Api_GetActiveQueuesResponse> {
        try await SimGRPC.unary(sim, request) { _, _ in JobRequestWire.proto(from: await sim.activeQueues()) }
    }
}
