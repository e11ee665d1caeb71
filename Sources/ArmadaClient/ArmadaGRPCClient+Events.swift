import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import GRPCCore

extension ArmadaGRPCClient {
    /// Messages a job-set stream may hold for a consumer that does not keep up. Past that the
    /// connection is closed with `consumerFellBehind`, and the watcher resumes after the last
    /// message it took (nothing is lost; the REST client bounds its stream buffer the same way).
    static let streamBufferMessages = 4096

    /// `api.Event/GetJobSetEvents` on one connection: the messages as they arrive, in the REST wire
    /// types. The stream throws an `ArmadaError` when the server ends the call with an error status
    /// or the connection breaks; it does not reconnect (see `JobSetWatcher`). Ending the consumer
    /// (or cancelling its task) cancels the call.
    public func events(_ request: JobSetRequest) async throws(ArmadaError) -> AsyncThrowingStream<EventStreamMessage, any Error> {
        let method = "api.Event/GetJobSetEvents"
        let metadata = try await metadata(method)
        let call = ClientRequest(message: JobRequestWire.proto(from: request), metadata: metadata)
        let authorization = metadata[stringValues: "authorization"].first { _ in true }
        let client = Api_Event.Client(wrapping: grpc)
        let (stream, continuation) = AsyncThrowingStream<EventStreamMessage, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.streamBufferMessages))
        let producer = Task {
            do {
                let fellBehind = try await client.getJobSetEvents(request: call) { response in
                    for try await message in response.messages {
                        if case .dropped = continuation.yield(JobRequestWire.message(from: message)) { return true }
                    }
                    return false
                }
                continuation.finish(throwing: fellBehind ? ArmadaError(
                    .transport, endpoint: method,
                    message: "the consumer fell \(Self.streamBufferMessages) messages behind", consumerFellBehind: true) : nil)
            } catch {
                continuation.finish(throwing: Self.error(error, method: method).redacting(authorization: authorization))
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return stream
    }
}
