import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// `api.RetryPolicyService` on the simulator (PR #4804's policies), backed by the same store as
/// the REST routes.
struct SimRetryPolicyService: Api_RetryPolicyService.ServiceProtocol {
    let sim: Simulator

    func createRetryPolicy(request: ServerRequest<Api_RetryPolicy>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { policy, principal in
            try await sim.putRetryPolicy(RetryPolicyWire.policy(from: policy), requireExisting: false, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func updateRetryPolicy(request: ServerRequest<Api_RetryPolicy>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { policy, principal in
            try await sim.putRetryPolicy(RetryPolicyWire.policy(from: policy), requireExisting: true, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func deleteRetryPolicy(request: ServerRequest<Api_RetryPolicyDeleteRequest>,
                           context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { message, principal in
            try await sim.deleteRetryPolicy(message.name, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func getRetryPolicy(request: ServerRequest<Api_RetryPolicyGetRequest>, context: ServerContext) async throws -> ServerResponse<Api_RetryPolicy> {
        try await SimGRPC.unary(sim, request) { message, _ in RetryPolicyWire.proto(from: try await sim.getRetryPolicy(message.name)) }
    }

    func getRetryPolicies(request: ServerRequest<Api_RetryPolicyListRequest>,
                          context: ServerContext) async throws -> ServerResponse<Api_RetryPolicyList> {
        try await SimGRPC.unary(sim, request) { _, _ in
            var list = Api_RetryPolicyList()
            list.retryPolicies = await sim.allRetryPolicies().map(RetryPolicyWire.proto(from:))
            return list
        }
    }
}
