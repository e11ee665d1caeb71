import ArmadaAPI
import Foundation

extension ArmadaRESTClient {
    /// `POST /v1/job-set/{queue}/{id}` on one connection: events as they arrive, decoded line by
    /// line (the response is never buffered whole). The stream throws an `ArmadaError` when the
    /// server sends an error status or error chunk, or the connection breaks; it does not
    /// reconnect (see `JobSetWatcher`). Cancelling the consuming task closes the connection.
    public func events(_ request: JobSetRequest) async throws(ArmadaError) -> AsyncThrowingStream<EventStreamMessage, any Error> {
        let path = "/v1/job-set/\(Self.segment(request.queue))/\(Self.segment(request.id))"
        return try await streamFrames("POST", path, body: try Self.encode(request, endpoint: "POST \(path)"), scan: { line in
            line.withUnsafeBufferPointer { EventStreamMessage.scanStreamLine($0) }
        })
    }

    /// Reads a gateway stream of `{"result": T}` lines ending, on failure, in an `{"error": …}` chunk.
    /// `scan` is a fast path for result lines (nil: use `JSONDecoder`, which also reads error chunks).
    func streamFrames<T: Decodable & Sendable>(_ method: String, _ path: String, body: [UInt8]?,
                                               query: [URLQueryItem] = [],
                                               scan: (@Sendable (ArraySlice<UInt8>) -> T?)? = nil) async throws(ArmadaError)
        -> AsyncThrowingStream<T, any Error> {
        let endpoint = "\(method) \(path)"
        let httpRequest = try await request(method, path, body: body, query: query, timeout: nil)
        let transport = self.transport
        let (stream, continuation) = AsyncThrowingStream<T, any Error>.makeStream()
        let task = Task {
            var status = 0
            func emit(_ line: ArraySlice<UInt8>, atEnd: Bool) throws {
                if let scan, let value = scan(line) {
                    continuation.yield(value)
                    return
                }
                let frame: StreamFrame<T>
                do {
                    frame = try JSONCoding.decoder.decode(StreamFrame<T>.self, from: Data(line))
                } catch {
                    if atEnd { throw ArmadaError(.transport, endpoint: endpoint, httpStatus: status, message: "the stream ended inside a message") }
                    throw ArmadaError(.decoding, endpoint: endpoint, httpStatus: status,
                                      message: "cannot read a stream line: \(error) — line starts with "
                                          + String(decoding: line.prefix(120), as: UTF8.self))
                }
                switch frame {
                case .result(let value): continuation.yield(value)
                case .error(let e): throw ArmadaError.fromStreamError(endpoint: endpoint, status: status, e)
                }
            }
            do {
                var splitter = NDJSONSplitter()
                var errorBody: [UInt8]?
                for try await part in transport.stream(httpRequest) {
                    switch part {
                    case .head(let s, _):
                        status = s
                        if !(200..<300).contains(s) { errorBody = [] }
                    case .body(let bytes):
                        if errorBody != nil {
                            errorBody! += bytes.prefix(1 << 20)
                            continue
                        }
                        for line in try splitter.feed(bytes) { try emit(line, atEnd: false) }
                    }
                }
                if let errorBody { throw ArmadaError.fromResponse(endpoint: endpoint, status: status, body: errorBody) }
                if let rest = splitter.finish() { try emit(rest, atEnd: true) }
                continuation.finish()
            } catch let error as ArmadaError {
                continuation.finish(throwing: error.redacting(authorization: httpRequest.headers["Authorization"]))
            } catch let error as NDJSONSplitter.RecordTooLarge {
                continuation.finish(throwing: ArmadaError(.decoding, endpoint: endpoint, httpStatus: status,
                                                          message: "a stream line exceeds \(error.limit) bytes"))
            } catch {
                if Task.isCancelled {
                    continuation.finish(throwing: CancellationError())
                } else {
                    continuation.finish(throwing: ArmadaError(.transport, endpoint: endpoint, httpStatus: status == 0 ? nil : status,
                                                              message: Self.describe(transportError: error)))
                }
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
