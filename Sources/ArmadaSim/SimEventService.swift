import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore
import SwiftProtobuf

/// `api.Event` on the simulator: the job-set stream read from the same log as the REST route,
/// by position, in batches of 500, each line decoded back into the event it was written from.
/// `watch: false` ends at the last message present when the call arrived; `cutStreamsAfter`
/// breaks the call (Unavailable) as the REST route drops its connection.
struct SimEventService: Api_Event.ServiceProtocol {
    let sim: Simulator

    func getJobSetEvents(request: ServerRequest<Api_JobSetRequest>,
                         context: ServerContext) async throws -> StreamingServerResponse<Api_EventStreamMessage> {
        try await stream(request.metadata, JobRequestWire.request(from: request.message))
    }

    /// The deprecated `Watch`: a watching `GetJobSetEvents` from `fromId`.
    func watch(request: ServerRequest<Api_WatchRequest>, context: ServerContext) async throws -> StreamingServerResponse<Api_EventStreamMessage> {
        let m = request.message
        return try await stream(request.metadata, JobSetRequest(id: m.jobSetID, queue: m.queue, watch: true, fromMessageId: m.fromID))
    }

    func health(request: ServerRequest<Google_Protobuf_Empty>, context: ServerContext) async throws -> ServerResponse<Api_HealthCheckResponse> {
        var response = Api_HealthCheckResponse()
        response.status = .serving
        return ServerResponse(message: response)
    }

    func stream(_ metadata: Metadata, _ request: JobSetRequest) async throws -> StreamingServerResponse<Api_EventStreamMessage> {
        let (start, end) = try await SimGRPC.call(sim, metadata) { principal in try await sim.eventsStart(request, as: principal) }
        let (queue, jobSet, watch) = (request.queue, request.id, request.watch)
        let cutAfter = await sim.faults.cutStreamsAfter
        return StreamingServerResponse { writer in
            // grpc-swift does not cancel a handler whose client went away; it reports that through
            // the RPC's cancellation handle. A watch waiting for events would otherwise hold the
            // call (and a graceful shutdown) open until the next event or the shutdown's grace.
            let (cancelled, signal) = AsyncStream<Void>.makeStream()
            try await withRPCCancellationHandler {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var cursor = EventLogCursor(sim, queue: queue, jobSet: jobSet, watch: watch, start: start, end: end, cutAfter: cutAfter)
                        while let (lines, cut) = await cursor.next() {
                            for line in lines {
                                guard let decoded = line.withUnsafeBufferPointer({ EventStreamMessage.scanStreamLine($0) }),
                                      let message = JobRequestWire.proto(from: decoded) else { continue }
                                try await writer.write(message)
                            }
                            if cut { throw RPCError(code: .unavailable, message: "simulated fault: stream cut") }
                        }
                    }
                    group.addTask {
                        for await _ in cancelled {}
                        throw RPCError(code: .cancelled, message: "the client cancelled the call")
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
            } onCancelRPC: {
                signal.finish()
            }
            return [:]
        }
    }
}
