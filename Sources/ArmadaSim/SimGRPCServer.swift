import ArmadaGRPC
import GRPCCore
import GRPCNIOTransportHTTP2

/// The simulator's second front door: Armada's gRPC services (`api.Submit`, `api.QueueService`,
/// `api.RetryPolicyService`, `api.Event`, `api.Jobs`, `api.Node`) over HTTP/2, plaintext or TLS,
/// backed by the same `Simulator` as the REST gateway: one state, two front doors.
public enum SimGRPCServer {
    /// A PEM certificate chain and its private key, to serve TLS.
    public struct TLS: Sendable, Hashable {
        public var certificatePath: String
        public var keyPath: String
        public init(certificatePath: String, keyPath: String) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
        }
    }

    static func services(_ sim: Simulator) -> [any RegistrableRPCService] {
        [SimSubmitService(sim: sim), SimQueueService(sim: sim), SimRetryPolicyService(sim: sim), SimEventService(sim: sim),
         SimJobsService(sim: sim), SimNodeService(sim: sim)]
    }

    /// Serves until the surrounding task is cancelled; `onListening` gets the bound port (useful
    /// with port 0). Does not start or stop the simulator (the REST server owns its lifecycle).
    ///
    /// Cancellation shuts the server down gracefully (the listener closes; calls in flight finish,
    /// and after `shutdownGrace` the rest are cancelled): cancelling the server's task outright
    /// can drop a connection NIO has accepted but the server has not taken yet, which traps.
    public static func run(_ simulator: Simulator, host: String = "127.0.0.1", port: Int = 50051, tls: TLS? = nil,
                           shutdownGrace: Duration = .seconds(5), requestLog: RequestLog? = nil,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let address = try socketAddress(host, port)
        let security: HTTP2ServerTransport.Posix.TransportSecurity = tls.map {
            .tls(certificateChain: [.file(path: $0.certificatePath, format: .pem)], privateKey: .file(path: $0.keyPath, format: .pem))
        } ?? .plaintext
        let transport = HTTP2ServerTransport.Posix(address: address, transportSecurity: security)
        let server = GRPCServer(transport: transport, services: services(simulator),
                                interceptors: requestLog.map { [RequestLogInterceptor(log: $0)] } ?? [])
        let serving = Task { try await server.serve() }
        try await withTaskCancellationHandler {
            do {
                let bound = try await transport.listeningAddress
                await onListening(bound.ipv4?.port ?? bound.ipv6?.port ?? port)
            } catch {
                server.beginGracefulShutdown()
            }
            try await serving.value
        } onCancel: {
            server.beginGracefulShutdown()
            Task {
                try? await Task.sleep(for: shutdownGrace)
                serving.cancel()
            }
        }
    }

    /// The address to bind: an IP address as given, `localhost` in any case as 127.0.0.1.
    static func socketAddress(_ host: String, _ port: Int) throws -> GRPCNIOTransportCore.SocketAddress {
        let listen = ListenAddress(host)
        if listen.isIPv6 { return .ipv6(host: host, port: port) }
        if listen.isIPv4 { return .ipv4(host: host, port: port) }
        if host.lowercased() == "localhost" || host.lowercased() == "localhost." { return .ipv4(host: "127.0.0.1", port: port) }
        throw SimError(.invalidArgument, "the gRPC server binds IP addresses: give --host as one (e.g. 127.0.0.1), not \"\(host)\"")
    }
}
