import Foundation

/// The client's default transport: plain-HTTP requests go to `NIOStreamTransport` (event streams
/// are read only as fast as the consumer reads; unary calls too, one connection each), and TLS and
/// any request while a proxy is configured in the environment go to `URLSessionTransport`.
///
/// Unary calls left URLSession because, on Linux, it polls its sockets busily while a call waits
/// for the answer: about 300 system calls per call were counted on submits of 500 jobs (`strace
/// -c`), a core's worth of CPU taken from the server when both run on one machine (the embedded
/// simulator), and the simulator benchmark went from about 9 400 to 13 400 jobs/s with NIO.
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

    /// Whether `request` goes to `NIOStreamTransport`.
    public func goesToNIO(_ request: TransportRequest) -> Bool {
        request.url.scheme?.lowercased() == "http" && !proxied
    }

    public func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
        goesToNIO(request) ? streams.stream(request) : urlSession.stream(request)
    }
}
