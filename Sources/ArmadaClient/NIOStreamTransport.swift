import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `HTTPTransport` for plain HTTP on swift-nio (event streams and unary calls), pull-based: the socket is read
/// only while the consumer has less than `readAhead` bytes waiting (plus one read of at most
/// `readSize`), so a fast server is held back
/// by TCP flow control instead of filling this process's memory, and the stream never has to be
/// closed and re-opened because its consumer fell behind (what URLSession on Linux needs, as it
/// cannot pause a transfer). One connection per stream, closed when the response ends or the
/// consumer stops. No TLS, no proxies, no redirects: `RoutingTransport` sends those elsewhere.
public final class NIOStreamTransport: HTTPTransport {
    private let group: any EventLoopGroup
    /// Bytes read ahead of the consumer, so the socket is read while the consumer decodes.
    public let readAhead: Int
    /// The most one socket read takes.
    public let readSize: Int
    /// Limit of connecting (DNS and TCP) when the request has no timeout of its own.
    public let connectTimeout: Duration
    private let peak = PeakGauge()

    public init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, readAhead: Int = 1 << 20,
                readSize: Int = 256 << 10, connectTimeout: Duration = .seconds(30)) {
        self.group = group
        self.readAhead = readAhead
        self.readSize = readSize
        self.connectTimeout = connectTimeout
    }

    /// The most body bytes one stream of this transport has had waiting for its consumer.
    public var peakBufferedBytes: Int { peak.value }

    public func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        let reader = NIOStreamReader(request: request, transport: self)
        return AsyncThrowingStream(unfolding: { try await reader.next() })
    }

    /// Connects and sends the request; the handler then answers the consumer's reads.
    fileprivate func open(_ request: TransportRequest) async throws -> (any Channel, StreamReadHandler) {
        guard request.url.scheme?.lowercased() == "http" else {
            throw StreamTransportError("\(request.url.scheme ?? "no") scheme in \(request.url): this transport speaks plain HTTP only")
        }
        guard let host = request.url.host, !host.isEmpty else { throw StreamTransportError("the URL \(request.url) has no host") }
        let port = request.url.port ?? 80
        let handler = StreamReadHandler(head: Self.head(request, host: host, port: port), body: request.body, readAhead: readAhead, peak: peak)
        let timeout = request.timeout ?? connectTimeout
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.autoRead, value: false)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: min(4096, readSize),
                                                                                    initial: min(65_536, readSize), maximum: readSize))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        do {
            return (try await bootstrap.connect(host: host, port: port).get(), handler)
        } catch {
            throw StreamTransportError(connecting: error, host: host, port: port)
        }
    }

    static func head(_ request: TransportRequest, host: String, port: Int) -> HTTPRequestHead {
        var target = request.url.path.isEmpty ? "/" : request.url.path(percentEncoded: true)
        if let query = request.url.query(percentEncoded: true) { target += "?" + query }
        var headers = HTTPHeaders()
        let bracketed = host.contains(":") ? "[\(host)]" : host
        headers.add(name: "Host", value: request.url.port == nil ? bracketed : "\(bracketed):\(port)")
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { headers.add(name: name, value: value) }
        if let body = request.body { headers.replaceOrAdd(name: "Content-Length", value: String(body.count)) }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target, headers: headers)
    }
}

/// A failure of `NIOStreamTransport`, worded for the user.
public struct StreamTransportError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }

    init(connecting error: any Error, host: String, port: Int) {
        func reason(_ error: any Error) -> String {
            if let io = error as? IOError {
                switch io.errnoCode {
                case ECONNREFUSED: return "connection refused"
                case ETIMEDOUT: return "timed out"
                case ENETUNREACH, EHOSTUNREACH: return "host unreachable"
                default: return "\(io)"
                }
            }
            if case ChannelError.connectTimeout = error { return "timed out" }
            return "\(error)"
        }
        if let failure = error as? NIOConnectionError {
            if failure.dnsAError != nil, failure.dnsAAAAError != nil, failure.connectionErrors.isEmpty {
                description = "unknown host \(host)"
            } else if let first = failure.connectionErrors.first {
                description = "\(reason(first.error)) (\(host):\(port))"
            } else {
                description = "cannot connect to \(host):\(port)"
            }
        } else {
            description = "\(reason(error)) (\(host):\(port))"
        }
    }
}

/// The consumer's end of one stream: connects on the first read, closes when dropped.
private final class NIOStreamReader: @unchecked Sendable {
    // Used by one consumer at a time (AsyncThrowingStream(unfolding:) calls next() serially).
    private let request: TransportRequest
    private let transport: NIOStreamTransport
    private var connection: (channel: any Channel, handler: StreamReadHandler)?

    init(request: TransportRequest, transport: NIOStreamTransport) {
        self.request = request
        self.transport = transport
    }

    func next() async throws -> HTTPStreamPart? {
        if connection == nil {
            try Task.checkCancellation()
            connection = try await transport.open(request)
        }
        let (channel, handler) = connection!
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                channel.eventLoop.execute { handler.demand(continuation) }
            }
        } onCancel: {
            channel.eventLoop.execute { handler.cancel() }
        }
    }

    deinit {
        if let (channel, _) = connection { channel.close(promise: nil) }
    }
}
