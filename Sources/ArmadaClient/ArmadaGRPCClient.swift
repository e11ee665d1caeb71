import ArmadaAPI
import ArmadaGRPC
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import SwiftProtobuf

/// Armada's gRPC API (`api.Submit`, `api.QueueService`, `api.RetryPolicyService`, `api.Event`,
/// `api.Jobs`, `api.Node`) over HTTP/2, speaking the same REST wire types as `ArmadaRESTClient`
/// through `ArmadaGRPCWire`. Credentials travel as `authorization` metadata on every call; every
/// unary call has a deadline (`callTimeout`) and the same client-side retries as the REST client
/// (`CallRetrier`); gRPC status codes become typed `ArmadaError`s.
///
/// The connection lives as long as the `withClient` body runs (structured: the client's
/// connections run in a child task and are shut down when the body returns).
public struct ArmadaGRPCClient: ArmadaAPIClient {
    typealias Transport = HTTP2ClientTransport.Posix

    let grpc: GRPCClient<Transport>
    public let endpoint: GRPCEndpoint
    public let credentials: any CredentialProvider
    /// Limit of one unary call (the gRPC deadline).
    public var callTimeout: Duration
    public var retry: RetrySchedule
    /// Whether "queue not found" may be the server's queue cache lagging behind a new queue.
    public var queueCacheLag = true

    public var transportKind: ArmadaTransport { .grpc }

    /// Connects to `endpoint` for the duration of `body`.
    public static func withClient<T: Sendable>(
        _ endpoint: GRPCEndpoint, credentials: any CredentialProvider = NoCredentials(), callTimeout: Duration = .seconds(30),
        retry: RetrySchedule = RetrySchedule(), callLog: CallLog? = nil, _ body: (ArmadaGRPCClient) async throws -> T
    ) async throws -> T {
        let transport: Transport
        do {
            transport = try HTTP2ClientTransport.Posix(target: target(endpoint), transportSecurity: security(endpoint),
                                                       config: config(endpoint))
        } catch {
            throw ArmadaError(.configuration, endpoint: "", message: "cannot set up gRPC to \(endpoint): \(error)")
        }
        return try await withGRPCClient(transport: transport, interceptors: callLog.map { [CallLoggingInterceptor(log: $0)] } ?? []) { grpc in
            try await body(ArmadaGRPCClient(grpc: grpc, endpoint: endpoint, credentials: credentials, callTimeout: callTimeout, retry: retry))
        }
    }

    /// An IP address is connected to as such (no DNS; with TLS no SNI, which may not hold an IP
    /// address, and the certificate is checked against the address); a name through DNS.
    static func target(_ endpoint: GRPCEndpoint) -> any ResolvableTarget {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, endpoint.host, &v4) == 1 { return .ipv4(address: endpoint.host, port: endpoint.port) }
        if inet_pton(AF_INET6, endpoint.host, &v6) == 1 { return .ipv6(address: endpoint.host, port: endpoint.port) }
        return .dns(host: endpoint.host, port: endpoint.port)
    }

    static func security(_ endpoint: GRPCEndpoint) -> Transport.TransportSecurity {
        guard endpoint.tls else { return .plaintext }
        return .tls { tls in
            if let ca = endpoint.caCertificatePath { tls.trustRoots = .certificates([.file(path: ca, format: .pem)]) }
        }
    }

    static func config(_ endpoint: GRPCEndpoint) -> Transport.Config {
        .defaults { config in
            if let time = endpoint.keepAliveTime {
                config.connection.keepalive = .init(time: time, timeout: endpoint.keepAliveTimeout ?? .seconds(20), allowWithoutCalls: true)
            }
            // Event streams of large job sets carry large messages (submitted events hold pod specs).
            config.http2.maxFrameSize = 1 << 20
        }
    }

    public func limited(to deadline: Duration) -> any ArmadaAPIClient {
        var copy = self
        copy.callTimeout = deadline
        copy.retry = RetrySchedule(deadline: deadline)
        return copy
    }

    var retrier: CallRetrier { CallRetrier(schedule: retry, queueCacheLag: queueCacheLag, credentials: credentials) }

    /// The metadata of one call: the credentials, when there are any.
    func metadata(_ method: String) async throws(ArmadaError) -> Metadata {
        var metadata = Metadata()
        if let auth = try await credentials.authorization() { metadata.addString(auth.revealed, forKey: "authorization") }
        return metadata
    }

    /// One unary call with a deadline, retried as `retrying` allows.
    func unary<Input: Sendable, Output: Sendable>(
        _ method: String, _ input: Input, retrying: CallRetrier.Retrying = .idempotent, queueLag: Bool = true,
        _ call: @escaping @Sendable (GRPCClient<Transport>, ClientRequest<Input>, CallOptions) async throws -> Output
    ) async throws(ArmadaError) -> Output {
        try await retrier.run(endpoint: method, retrying: retrying, queueLag: queueLag) { () async throws(ArmadaError) -> Output in
            let metadata = try await self.metadata(method)
            var options = CallOptions.defaults
            options.timeout = callTimeout
            do {
                return try await call(grpc, ClientRequest(message: input, metadata: metadata), options)
            } catch {
                throw Self.error(error, method: method).redacting(authorization: metadata[stringValues: "authorization"].first { _ in true })
            }
        }
    }

    /// A gRPC failure as an `ArmadaError`: the status code and message as the server sent them.
    static func error(_ error: any Error, method: String) -> ArmadaError {
        if let e = error as? ArmadaError { return e }
        if let rpc = error as? RPCError {
            let code = GRPCStatusCode(rawValue: rpc.code.rawValue) ?? .unknown
            var message = rpc.message
            if let cause = rpc.cause, code == .unavailable { message += " (\(cause))" }
            switch code {
            case .deadlineExceeded:
                return ArmadaError(.timeout, endpoint: method, code: code, message: message.isEmpty ? "deadline exceeded" : message)
            case .unavailable where rpc.cause != nil:
                return ArmadaError(.transport, endpoint: method, code: code, message: message)
            default:
                return ArmadaError(.server, endpoint: method, code: code, message: message,
                                   queueNotFound: ArmadaError.mentionsMissingQueue(message),
                                   jobSetNotFound: ArmadaError.mentionsMissingJobSet(message))
            }
        }
        if error is CancellationError { return ArmadaError(.transport, endpoint: method, message: "cancelled") }
        return ArmadaError(.transport, endpoint: method, message: "\(error)")
    }

    /// `api.Submit/Health`, asked once (as the REST client asks `/health`): a target that is down
    /// is reported at once, not after the retry deadline.
    public func health() async throws(ArmadaError) {
        var once = self
        once.retry = .none
        let response = try await once.unary("api.Submit/Health", Google_Protobuf_Empty()) { grpc, request, options in
            try await Api_Submit.Client(wrapping: grpc).health(request: request, options: options) { try $0.message }
        }
        guard response.status == .serving else {
            throw ArmadaError(.server, endpoint: "api.Submit/Health", code: .unavailable,
                              message: "\(endpoint) is not serving (status \(response.status))")
        }
    }
}
