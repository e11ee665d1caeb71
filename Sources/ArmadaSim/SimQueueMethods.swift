import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// The queue methods `api.Submit` and `api.QueueService` both have, written once: each service
/// conforms, and these implementations satisfy both generated protocols.
protocol SimQueueMethods: Sendable {
    var sim: Simulator { get }
}

extension SimQueueMethods {
    func createQueue(request: ServerRequest<Api_Queue>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await put(request, isCreate: true)
    }

    func updateQueue(request: ServerRequest<Api_Queue>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await put(request, isCreate: false)
    }

    func put(_ request: ServerRequest<Api_Queue>, isCreate: Bool) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { queue, principal in
            try await sim.putQueue(QueueWire.queue(from: queue), isCreate: isCreate, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func createQueues(request: ServerRequest<Api_QueueList>, context: ServerContext) async throws -> ServerResponse<Api_BatchQueueCreateResponse> {
        try await SimGRPC.unary(sim, request) { list, principal in
            QueueWire.proto(from: await sim.putQueues(list.queues.map(QueueWire.queue(from:)), isCreate: true, as: principal))
        }
    }

    func updateQueues(request: ServerRequest<Api_QueueList>, context: ServerContext) async throws -> ServerResponse<Api_BatchQueueUpdateResponse> {
        try await SimGRPC.unary(sim, request) { list, principal in
            QueueWire.proto(update: await sim.putQueues(list.queues.map(QueueWire.queue(from:)), isCreate: false, as: principal))
        }
    }

    func deleteQueue(request: ServerRequest<Api_QueueDeleteRequest>, context: ServerContext) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { message, principal in
            try await sim.deleteQueue(message.name, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func getQueue(request: ServerRequest<Api_QueueGetRequest>, context: ServerContext) async throws -> ServerResponse<Api_Queue> {
        try await SimGRPC.unary(sim, request) { message, _ in QueueWire.proto(from: try await sim.getQueue(message.name)) }
    }

    /// Every queue (sorted by name, at most `num` when set), then the end marker.
    func getQueues(request: ServerRequest<Api_StreamingQueueGetRequest>,
                   context: ServerContext) async throws -> StreamingServerResponse<Api_StreamingQueueMessage> {
        let limit = Int(request.message.num)
        let queues = try await SimGRPC.call(sim, request.metadata) { _ in await sim.allQueues(limit: limit) }
        return StreamingServerResponse { writer in
            for queue in queues {
                var message = Api_StreamingQueueMessage()
                message.queue = QueueWire.proto(from: queue)
                try await writer.write(message)
            }
            var end = Api_StreamingQueueMessage()
            end.end = Api_EndMarker()
            try await writer.write(end)
            return [:]
        }
    }
}
