import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// `api.Submit` on the simulator: the job calls and the (older) queue calls, backed by the same
/// `Simulator` handlers as the REST gateway.
struct SimSubmitService: Api_Submit.ServiceProtocol, SimQueueMethods {
    let sim: Simulator

    func submitJobs(request: ServerRequest<Api_JobSubmitRequest>, context: ServerContext) async throws -> ServerResponse<Api_JobSubmitResponse> {
        try await SimGRPC.unary(sim, request) { message, principal in
            let submit: JobSubmitRequest
            do {
                submit = try SubmitWire.request(from: message)
            } catch {
                throw SimError.invalid("[SubmitJobs] a pod spec has no Kubernetes JSON form: \(error)")
            }
            return JobRequestWire.proto(from: try await sim.submit(submit, as: principal))
        }
    }

    func cancelJobs(request: ServerRequest<Api_JobCancelRequest>, context: ServerContext) async throws -> ServerResponse<Api_CancellationResult> {
        try await SimGRPC.unary(sim, request) { message, principal in
            JobRequestWire.proto(from: try await sim.cancel(JobRequestWire.request(from: message), as: principal))
        }
    }

    func cancelJobSet(request: ServerRequest<Api_JobSetCancelRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { message, principal in
            try await sim.cancelJobSet(JobRequestWire.request(from: message), as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func reprioritizeJobs(request: ServerRequest<Api_JobReprioritizeRequest>,
                          context: ServerContext) async throws -> ServerResponse<Api_JobReprioritizeResponse> {
        try await SimGRPC.unary(sim, request) { message, principal in
            JobRequestWire.proto(from: try await sim.reprioritize(JobRequestWire.request(from: message), as: principal))
        }
    }

    func preemptJobs(request: ServerRequest<Api_JobPreemptRequest>, context: ServerContext) async throws -> ServerResponse<Api_PreemptionResult> {
        try await SimGRPC.unary(sim, request) { message, principal in
            JobRequestWire.proto(from: try await sim.preempt(JobRequestWire.request(from: message), as: principal))
        }
    }

    func health(request: ServerRequest<Google_Protobuf_Empty>, context: ServerContext) async throws -> ServerResponse<Api_HealthCheckResponse> {
        var response = Api_HealthCheckResponse()
        response.status = .serving
        return ServerResponse(message: response)
    }
}
