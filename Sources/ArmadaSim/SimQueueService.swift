import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// `api.QueueService` on the simulator: the same queue calls as `api.Submit`, plus cordoning.
/// Queue-wide preempt/cancel are not modelled and answer Unimplemented.
struct SimQueueService: Api_QueueService.ServiceProtocol, SimQueueMethods {
    let sim: Simulator

    func cordonQueue(request: ServerRequest<Api_QueueCordonRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await cordon(request.metadata, request.message.name, true)
    }

    func uncordonQueue(request: ServerRequest<Api_QueueUncordonRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await cordon(request.metadata, request.message.name, false)
    }

    func cordon(_ metadata: Metadata, _ name: String, _ cordoned: Bool) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.call(sim, metadata) { principal in
            var queue = try await sim.getQueue(name)
            queue.cordoned = cordoned ? true : nil
            try await sim.putQueue(queue, isCreate: false, as: principal)
        }
        return ServerResponse(message: Google_Protobuf_Empty())
    }

    func preemptOnQueue(request: ServerRequest<Api_QueuePreemptRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        throw SimGRPC.unimplemented("api.QueueService/PreemptOnQueue")
    }

    func cancelOnQueue(request: ServerRequest<Api_QueueCancelRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        throw SimGRPC.unimplemented("api.QueueService/CancelOnQueue")
    }
}
