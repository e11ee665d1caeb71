import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore

/// `api.Jobs` on the simulator: job status and active queues. Job and run details and job errors
/// are not served yet (the REST gateway lacks them too) and answer Unimplemented.
struct SimJobsService: Api_Jobs.ServiceProtocol {
    let sim: Simulator

    func getJobStatus(request: ServerRequest<Api_JobStatusRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobStatusResponse> {
        try await SimGRPC.unary(sim, request) { message, _ in JobRequestWire.proto(from: try await sim.jobStatus(message.jobIds)) }
    }

    func getJobStatusUsingExternalJobUri(request: ServerRequest<Api_JobStatusUsingExternalJobUriRequest>,
                                         context: ServerContext) async throws -> ServerResponse<Api_JobStatusResponse> {
        throw SimGRPC.unimplemented("api.Jobs/GetJobStatusUsingExternalJobUri")
    }

    func getJobDetails(request: ServerRequest<Api_JobDetailsRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobDetailsResponse> {
        throw SimGRPC.unimplemented("api.Jobs/GetJobDetails")
    }

    func getJobErrors(request: ServerRequest<Api_JobErrorsRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobErrorsResponse> {
        throw SimGRPC.unimplemented("api.Jobs/GetJobErrors")
    }

    func getJobRunDetails(request: ServerRequest<Api_JobRunDetailsRequest>,
                          context: ServerContext) async throws -> ServerResponse<Api_JobRunDetailsResponse> {
        throw SimGRPC.unimplemented("api.Jobs/GetJobRunDetails")
    }

    func getActiveQueues(request: ServerRequest<Api_GetActiveQueuesRequest>,
                         context: ServerContext) async throws -> ServerResponse<Api_GetActiveQueuesResponse> {
        try await SimGRPC.unary(sim, request) { _, _ in JobRequestWire.proto(from: await sim.activeQueues()) }
    }
}
