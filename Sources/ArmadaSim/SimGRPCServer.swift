import ArmadaGRPC
import GRPCCore
import GRPCNIOTransportHTTP2

/// The simulator's second front door: Armada's gRPC services (`api.Submit`, `api.QueueService`,
/// `api.RetryPolicyService`, `api.Event`, `api.Jobs`, `api.Node`) over plaintext HTTP/2, backed by
/// the same `Simulator` as the REST gateway: one state, two front doors.
public enum SimGRPCServer {
    static func services(_ sim: Simulator) -> [any RegistrableRPCService] {
        [SimSubmitService(sim: sim), SimQueueService(sim: sim), SimRetryPolicyService(sim: sim), SimEventService(sim: sim),
         SimJobsService(sim: sim), SimNodeService(sim: sim)]
    }

    /// Serves until the surrounding task is cancelled; `onListening` gets the bound port (useful
    /// with port 0). Does not start or stop the simulator (the REST server owns its lifecycle).
    public static func run(_ simulator: Simulator, host: String = "127.0.0.1", port: Int = 50051,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let address: GRPCNIOTransportCore.SocketAddress = ListenAddress(host).isIPv6
            ? .ipv6(host: host, port: port) : .ipv4(host: host == "localhost" ? "127.0.0.1" : host, port: port)
        let transport = HTTP2ServerTransport.Posix(address: address, transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: services(simulator))
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let bound = try await transport.listeningAddress
            await onListening(bound.ipv4?.port ?? bound.ipv6?.port ?? port)
        }
    }
}
