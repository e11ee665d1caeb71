import Foundation

/// The client's default transport: long-lived plain-HTTP streams (event streams) go to
/// `NIOStreamTransport`, which reads the socket only as fast as the consumer reads; everything
/// else — unary calls (pooled connections), TLS, and any request while a proxy is configured in
/// the environment — goes to `URLSessionTransport`.
public final class RoutingTransport: HTTPTransport {
    public let urlSession: URLSessionTransport
    public let streams: NIOStreamTransport
    private let proxied: Bool

    public init(urlSession: URLSessionTransport = URLSessionTransport(), streams: NIOStreamTransport = NIOStreamTransport(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.urlSession = urlSession
        self.streams = streams
        proxied = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"].contains { !(environment[$0] ?? "").isEmpty }
    }

    /// Whether `request` is read by `NIOStreamTransport`.
    public func readsPullBased(_ request: TransportRequest) -> Bool {
        request.longLived && request.url.scheme?.lowercased() == "http" && !proxied
    }

    public func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        readsPullBased(request) ? streams.stream(request) : urlSession.stream(request)
    }
}
