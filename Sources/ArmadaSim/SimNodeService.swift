import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// `api.Node` on the simulator: cancel or preempt every job running on a node, narrowed by
/// executor, queues and priority classes, as upstream's `node/*` test cases use it. (The real
/// gateway does not route `/v1/node/...`, so these exist over gRPC only.)
struct SimNodeService: Api_Node.ServiceProtocol {
    let sim: Simulator

    func preemptOnNode(request: ServerRequest<Api_NodePreemptRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { message, principal in
            try await sim.preemptOnNode(JobRequestWire.request(from: message), as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func cancelOnNode(request: ServerRequest<Api_NodeCancelRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { message, principal in
            try await sim.cancelOnNode(JobRequestWire.request(from: message), as: principal)
            return Google_Protobuf_Empty()
        }
    }
}
