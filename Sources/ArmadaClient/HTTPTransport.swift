import Foundation

/// One HTTP request as the client builds it.
public struct TransportRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    public var headers: [String: String]
    public var body: [UInt8]?
    /// For unary calls: the whole call's limit. Streams have none; cancel the consuming task instead.
    public var timeout: Duration?
    /// For resumable streams: when more than this many received bytes wait for the consumer, the
    /// transport closes the connection and, after the consumer has read what arrived, ends the
    /// stream with `ConsumerFellBehind`; the caller re-opens it where it stopped. This bounds
    /// memory (URLSession on Linux cannot pause a transfer). nil: no limit.
    public var maxBufferedBytes: Int?

    public init(method: String, url: URL, headers: [String: String] = [:], body: [UInt8]? = nil, timeout: Duration? = nil,
                maxBufferedBytes: Int? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxBufferedBytes = maxBufferedBytes
    }
}

/// What a streaming response delivers, in order: the head once, then body bytes as they arrive.
public enum HTTPStreamPart: Sendable, Hashable {
    case head(status: Int, headers: [String: String])
    case body([UInt8])
}

/// The seam between the client and the network, so tests and the runner can swap it.
public protocol HTTPTransport: Sendable {
    /// Starts the request; the stream ends when the response ends, and throws on transport errors.
    /// Ending the iteration (or cancelling the consuming task) closes the connection.
    func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error>
}

/// A complete response of a unary call.
public struct TransportResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
}

extension HTTPTransport {
    /// Sends a unary request and collects the whole response, bounded by `request.timeout`.
    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let collect: @Sendable () async throws -> TransportResponse = {
            var status = 0
            var headers: [String: String] = [:]
            var body: [UInt8] = []
            for try await part in stream(request) {
                switch part {
                case .head(let s, let h):
                    status = s
                    headers = h
                case .body(let bytes): body += bytes
                }
            }
            return TransportResponse(status: status, headers: headers, body: body)
        }
        guard let timeout = request.timeout else { return try await collect() }
        return try await withThrowingTaskGroup(of: TransportResponse?.self) { group in
            group.addTask { try await collect() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else { throw TimeoutError(timeout: timeout) }
            return response
        }
    }
}

/// The transport closed a stream whose consumer fell behind (see `TransportRequest.maxBufferedBytes`).
public struct ConsumerFellBehind: Error, Sendable, Hashable {
    public var bufferedBytes: Int
    public init(bufferedBytes: Int) { self.bufferedBytes = bufferedBytes }
}

/// A unary call ran past its timeout.
public struct TimeoutError: Error, Sendable, Hashable {
    public var timeout: Duration
}
