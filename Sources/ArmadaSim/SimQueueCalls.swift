import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// The queue methods `api.Submit` and `api.QueueService` both serve, written once.
struct SimQueueCalls: Sendable {
    let sim: Simulator

    func createQueue(_ request: ServerRequest<Api_Queue>) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { queue, principal in
            try await sim.putQueue(QueueWire.queue(from: queue), isCreate: true, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func createQueues(_ request: ServerRequest<Api_QueueList>) async throws -> ServerResponse<Api_BatchQueueCreateResponse> {
        try await SimGRPC.unary(sim, request) { list, principal in
            QueueWire.proto(from: await sim.putQueues(list.queues.map(QueueWire.queue(from:)), isCreate: true, as: principal))
        }
    }

    func updateQueue(_ request: ServerRequest<Api_Queue>) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { queue, principal in
            try await sim.putQueue(QueueWire.queue(from: queue), isCreate: false, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func updateQueues(_ request: ServerRequest<Api_QueueList>) async throws -> ServerResponse<Api_BatchQueueUpdateResponse> {
        try await SimGRPC.unary(sim, request) { list, principal in
            QueueWire.proto(update: await sim.putQueues(list.queues.map(QueueWire.queue(from:)), isCreate: false, as: principal))
        }
    }

    func deleteQueue(_ request: ServerRequest<Api_QueueDeleteRequest>) async throws -> ServerResponse<Google_Protobuf_Empty> {
        try await SimGRPC.unary(sim, request) { message, principal in
            try await sim.deleteQueue(message.name, as: principal)
            return Google_Protobuf_Empty()
        }
    }

    func getQueue(_ request: ServerRequest<Api_QueueGetRequest>) async throws -> ServerResponse<Api_Queue> {
        try await SimGRPC.unary(sim, request) { message, _ in QueueWire.proto(from: try await sim.getQueue(message.name)) }
    }

    /// Every queue (sorted by name, at most `num` when set), then the end marker.
    func getQueues(_ request: ServerRequest<Api_StreamingQueueGetRequest>) async throws -> StreamingServerResponse<Api_StreamingQueueMessage> {
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
