import ArmadaAPI
import Foundation

extension ArmadaRESTClient {
    /// Received bytes an event stream on URLSession may have waiting for its consumer before it is
    /// re-opened (streams on `NIOStreamTransport` are held back by TCP instead).
    /// `ARMADA_STREAM_BUFFER` when valid (`streamBufferProblem` says why not), else 8 MiB.
    static let streamBufferLimit = streamBuffer(ProcessInfo.processInfo.environment["ARMADA_STREAM_BUFFER"]) ?? (8 << 20)

    static func streamBuffer(_ text: String?) -> Int? {
        guard let text, let bytes = Int(text), (64 << 10)...(1 << 30) ~= bytes else { return nil }
        return bytes
    }

    /// Why an `ARMADA_STREAM_BUFFER` value cannot be used, or nil (unset or valid).
    public static func streamBufferProblem(_ text: String?) -> String? {
        guard let text, streamBuffer(text) == nil else { return nil }
        return "ARMADA_STREAM_BUFFER=\"\(text)\" must be a number of bytes from 65536 to 1073741824 (default 8388608)"
    }

    /// `POST /v1/job-set/{queue}/{id}` on one connection: events as they arrive, decoded line by
    /// line (the response is never buffered whole). The stream throws an `ArmadaError` when the
    /// server sends an error status or error chunk, or the connection breaks; it does not
    /// reconnect (see `JobSetWatcher`). Cancelling the consuming task closes the connection.
    public func events(_ request: JobSetRequest) async throws(ArmadaError) -> AsyncThrowingStream<EventStreamMessage, any Error> {
        let path = "/v1/job-set/\(Self.segment(request.queue))/\(Self.segment(request.id))"
        return try await streamFrames("POST", path, body: try Self.encode(request, endpoint: "POST \(path)"),
                                      maxBufferedBytes: Self.streamBufferLimit, scan: { line in
            line.withUnsafeBufferPointer { EventStreamMessage.scanStreamLine($0) }
        })
    }

    /// Reads a gateway stream of `{"result": T}` lines ending, on failure, in an `{"error": …}` chunk.
    /// Pull-based: chunks are read and decoded at most a bounded number ahead of the consumer (see
    /// `FrameReader`), so a slow consumer holds back the transport instead of buffering.
    /// `scan` is a fast path for result lines (nil: use `JSONDecoder`, which also reads error chunks).
    func streamFrames<T: Decodable & Sendable>(_ method: String, _ path: String, body: [UInt8]?,
                                               query: [URLQueryItem] = [], maxBufferedBytes: Int? = nil,
                                               scan: (@Sendable (ArraySlice<UInt8>) -> T?)? = nil) async throws(ArmadaError)
        -> AsyncThrowingStream<T, any Error> {
        var httpRequest = try await request(method, path, body: body, query: query, timeout: nil)
        httpRequest.maxBufferedBytes = maxBufferedBytes
        let reader = FrameReader<T>(parts: transport.stream(httpRequest), endpoint: "\(method) \(path)", scan: scan,
                                    authorization: httpRequest.headers["Authorization"])
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }
}

/// Hands out a response's values one `next()` at a time, decoding ahead: while the consumer works
/// through one received chunk's values, the next chunks are read and decoded in tasks of their own
/// (on another core), so decoding and consuming overlap. At most `depth` chunks are decoded ahead,
/// so memory stays bounded; an error or the end comes after the values before it.
private final class FrameReader<T: Decodable & Sendable>: @unchecked Sendable {
    // Used by one consumer at a time (AsyncThrowingStream(unfolding:) calls next() serially).
    private let decoder: ChunkDecoder<T>
    private var values: [T] = []
    private var nextValue = 0
    private var end: ChunkDecoder<T>.End?
    /// Batches being decoded, oldest first; each task starts decoding once the one before it is done.
    private var ahead: [Task<ChunkDecoder<T>.Batch, Never>] = []
    private let depth = 2

    init(parts: AsyncThrowingStream<HTTPStreamPart, any Error>, endpoint: String, scan: (@Sendable (ArraySlice<UInt8>) -> T?)?,
         authorization: String?) {
        decoder = ChunkDecoder(parts: parts, endpoint: endpoint, scan: scan, authorization: authorization)
    }

    deinit { for task in ahead { task.cancel() } }

    func next() async throws -> T? {
        while true {
            if nextValue < values.count {
                nextValue += 1
                return values[nextValue - 1]
            }
            switch end {
            case .finished?: return nil
            case .failed(let error)?: throw error
            case nil: break
            }
            while ahead.count < depth { ahead.append(readAhead(after: ahead.last)) }
            let pending = ahead.removeFirst()
            let queued = ahead
            let batch = await withTaskCancellationHandler { await pending.value } onCancel: {
                pending.cancel()
                for task in queued { task.cancel() }
            }
            values = batch.values
            nextValue = 0
            end = batch.end
            if end != nil {
                for task in ahead { task.cancel() }
                ahead = []
            } else {
                ahead.append(readAhead(after: ahead.last))
            }
        }
    }

    /// The batch after `previous` (none after an end).
    private func readAhead(after previous: Task<ChunkDecoder<T>.Batch, Never>?) -> Task<ChunkDecoder<T>.Batch, Never> {
        let decoder = self.decoder
        return Task {
            if let previous, let end = await previous.value.end { return ChunkDecoder<T>.Batch(end: end) }
            return await decoder.nextBatch()
        }
    }
}

/// Turns a response's parts into batches of values, one received chunk at a time. Called by one
/// task at a time (each read-ahead task starts decoding only once the one before it is done).
private final class ChunkDecoder<T: Decodable & Sendable>: @unchecked Sendable {
    enum End {
        case finished
        case failed(any Error)
    }

    struct Batch: @unchecked Sendable { // handed from the decoding task to the consumer, then owned there
        var values: [T] = []
        var end: End?
    }

    private var parts: AsyncThrowingStream<HTTPStreamPart, any Error>.AsyncIterator
    private let endpoint: String
    private let scan: (@Sendable (ArraySlice<UInt8>) -> T?)?
    private let authorization: String?
    private var status = 0
    private var splitter = NDJSONSplitter()
    private var errorBody: [UInt8]?

    init(parts: AsyncThrowingStream<HTTPStreamPart, any Error>, endpoint: String, scan: (@Sendable (ArraySlice<UInt8>) -> T?)?,
         authorization: String?) {
        self.parts = parts.makeAsyncIterator()
        self.endpoint = endpoint
        self.scan = scan
        self.authorization = authorization
    }

    /// The values of the next chunk that holds any, or the end.
    func nextBatch() async -> Batch {
        var batch = Batch()
        do {
            while batch.values.isEmpty {
                guard let part = try await parts.next() else {
                    if let errorBody { throw ArmadaError.fromResponse(endpoint: endpoint, status: status, body: errorBody) }
                    if let rest = splitter.finish() { batch.values.append(try decode(rest, atEnd: true)) }
                    if Task.isCancelled { throw CancellationError() }
                    batch.end = .finished
                    return batch
                }
                switch part {
                case .head(let s, _):
                    status = s
                    if !(200..<300).contains(s) { errorBody = [] }
                case .body(let bytes):
                    if errorBody != nil {
                        if errorBody!.count < 1 << 20 { errorBody! += bytes.prefix(1 << 20) }
                        continue
                    }
                    let lines = try splitter.feed(bytes)
                    batch.values.reserveCapacity(lines.count)
                    for line in lines { batch.values.append(try decode(line, atEnd: false)) }
                }
            }
        } catch {
            batch.end = .failed(describe(error))
        }
        return batch
    }

    private func describe(_ error: any Error) -> any Error {
        switch error {
        case let error as ArmadaError: return error.redacting(authorization: authorization)
        case let error as ConsumerFellBehind:
            return ArmadaError(.transport, endpoint: endpoint, httpStatus: status,
                               message: "closed after \(error.bufferedBytes) bytes waited for the consumer; re-open from the last event",
                               consumerFellBehind: true)
        case let error as NDJSONSplitter.RecordTooLarge:
            return ArmadaError(.decoding, endpoint: endpoint, httpStatus: status, message: "a stream line exceeds \(error.limit) bytes")
        default:
            if Task.isCancelled || error is CancellationError { return CancellationError() }
            return ArmadaError(.transport, endpoint: endpoint, httpStatus: status == 0 ? nil : status,
                               message: ArmadaRESTClient.describe(transportError: error))
        }
    }

    private func decode(_ line: ArraySlice<UInt8>, atEnd: Bool) throws -> T {
        if let scan, let value = scan(line) { return value }
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
        case .result(let value): return value
        case .error(let e): throw ArmadaError.fromStreamError(endpoint: endpoint, status: status, e)
        }
    }
}
