import ArmadaAPI
import Foundation
import Hummingbird
import Logging
import RetryEngine

/// The simulator's REST gateway: every endpoint of REST doc §3 on a Hummingbird server.
public enum SimServer {
    /// Runs until the surrounding task is cancelled; `onListening` gets the bound port.
    public static func run(_ simulator: Simulator, host: String = "127.0.0.1", port: Int = 8081,
                           logger: Logger? = nil, requestLog: RequestLog? = nil,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router(context: SimRequestContext.self)
        if let requestLog { router.add(middleware: RequestLogMiddleware(log: requestLog)) }
        router.add(middleware: ConnectionCloseMiddleware())
        router.add(middleware: PlainNotFoundMiddleware())
        router.add(middleware: FaultMiddleware(simulator: simulator))
        routes(router, simulator)
        adminRoutes(router, simulator)
        methodNotAllowedRoutes(router)
        var log = logger ?? Logger(label: "armada-sim")
        // Clients closing watch streams are routine, not errors worth printing.
        if logger == nil { log.logLevel = .critical }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
                              onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) }, logger: log)
        await simulator.start()
        do {
            try await app.run()
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    /// Authenticates the caller and runs the operation, answering errors as the gateway does.
    static func unary(_ request: Request, _ sim: Simulator,
                      _ body: @escaping @Sendable (SimAuth.Principal) async throws -> Response) async -> Response {
        do {
            let principal = try await sim.authenticate(request.headers[.authorization])
            return try await body(principal)
        } catch let error as SimError {
            return SimHTTP.error(error)
        } catch {
            return SimHTTP.error(SimError(.internalError, "\(error)"))
        }
    }

    static func routes(_ router: Router<SimRequestContext>, _ sim: Simulator) {
        // Go's ServeMux serves HEAD with a GET pattern's handler.
        router.get("/health") { _, _ in Response(status: .noContent) }
        router.head("/health") { _, _ in Response(status: .noContent) }

        router.post("/v1/job/submit") { request, _ in
            await unary(request, sim) { principal in SimHTTP.json(try await sim.submit(try await SimHTTP.decode(JobSubmitRequest.self, request), as: principal)) }
        }
        router.post("/v1/job/cancel") { request, _ in
            await unary(request, sim) { principal in SimHTTP.json(try await sim.cancel(try await SimHTTP.decode(JobCancelRequest.self, request), as: principal)) }
        }
        router.post("/v1/jobset/cancel") { request, _ in
            await unary(request, sim) { principal in
                try await sim.cancelJobSet(try await SimHTTP.decode(JobSetCancelRequest.self, request), as: principal)
                return SimHTTP.empty
            }
        }
        router.post("/v1/job/preempt") { request, _ in
            await unary(request, sim) { principal in SimHTTP.json(try await sim.preempt(try await SimHTTP.decode(JobPreemptRequest.self, request), as: principal)) }
        }
        router.post("/v1/job/reprioritize") { request, _ in
            await unary(request, sim) { principal in SimHTTP.json(try await sim.reprioritize(try await SimHTTP.decode(JobReprioritizeRequest.self, request), as: principal)) }
        }
        jobsRoutes(router, sim)
        queueRoutes(router, sim)
        retryPolicyRoutes(router, sim)
        eventRoutes(router, sim)
    }

    /// A known path with a method it does not serve: `405 text/plain` `Method Not Allowed\n`, as the
    /// gateway answers (REST doc §8.3); registered after every route, for each path's other methods.
    static func methodNotAllowedRoutes(_ router: Router<SimRequestContext>) {
        for routes in Dictionary(grouping: router.routes, by: { $0.path.description }).values {
            let served = Set(routes.map(\.method))
            for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch] where !served.contains(method) {
                router.on(routes[0].path, method: method) { _, _ in
                    Response(status: .methodNotAllowed, headers: [.contentType: "text/plain; charset=utf-8"],
                             body: .init(byteBuffer: ByteBuffer(string: "Method Not Allowed\n")))
                }
            }
        }
    }

    static func queueRoutes(_ router: Router<SimRequestContext>, _ sim: Simulator) {
        router.post("/v1/queue") { request, _ in
            await unary(request, sim) { principal in
                try await sim.putQueue(try await SimHTTP.decode(Queue.self, request), isCreate: true, as: principal)
                return SimHTTP.empty
            }
        }
        router.put("/v1/queue/{name}") { request, context in
            await unary(request, sim) { principal in
                var queue = try await SimHTTP.decode(Queue.self, request)
                queue.name = SimHTTP.parameter(context, "name")
                try await sim.putQueue(queue, isCreate: false, as: principal)
                return SimHTTP.empty
            }
        }
        router.delete("/v1/queue/{name}") { request, context in
            await unary(request, sim) { principal in
                try await sim.deleteQueue(SimHTTP.parameter(context, "name"), as: principal)
                return SimHTTP.empty
            }
        }
        router.get("/v1/queue/{name}") { request, context in
            await unary(request, sim) { _ in SimHTTP.json(try await sim.getQueue(SimHTTP.parameter(context, "name"))) }
        }
        for (path, isCreate) in [("/v1/batched/create_queues", true), ("/v1/batched/update_queues", false)] {
            let handler: @Sendable (Request, SimRequestContext) async throws -> Response = { request, _ in
                await unary(request, sim) { principal in
                    SimHTTP.json(await sim.putQueues(try await SimHTTP.decode(QueueList.self, request).queues, isCreate: isCreate, as: principal))
                }
            }
            if isCreate { router.post(RouterPath(path), use: handler) } else { router.put(RouterPath(path), use: handler) }
        }
        router.get("/v1/batched/queues") { request, _ in
            do {
                _ = try await sim.authenticate(request.headers[.authorization])
            } catch let error as SimError {
                return SimHTTP.streamError(error)
            }
            let limit = Int(request.uri.queryParameters.get("num") ?? "") ?? 0
            var lines = ""
            for queue in await sim.allQueues(limit: limit) {
                let message = GatewayJSON.strip((try? JSONValueEncoder().encode(StreamingQueueMessage.queue(queue))) ?? .object([]))
                lines += JSONValue.object([.init("result", message ?? .object([]))]).jsonText + "\n"
            }
            lines += #"{"result":{"Event":{"end":{}}}}"# + "\n"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: lines)))
        }
    }

    static func retryPolicyRoutes(_ router: Router<SimRequestContext>, _ sim: Simulator) {
        router.post("/v1/retry-policy") { request, _ in
            await unary(request, sim) { principal in
                try await sim.putRetryPolicy(try await SimHTTP.decode(RetryPolicy.self, request), requireExisting: false, as: principal)
                return SimHTTP.empty
            }
        }
        router.put("/v1/retry-policy/{name}") { request, context in
            await unary(request, sim) { principal in
                var policy = try await SimHTTP.decode(RetryPolicy.self, request)
                policy.name = SimHTTP.parameter(context, "name")
                try await sim.putRetryPolicy(policy, requireExisting: true, as: principal)
                return SimHTTP.empty
            }
        }
        router.delete("/v1/retry-policy/{name}") { request, context in
            await unary(request, sim) { principal in
                try await sim.deleteRetryPolicy(SimHTTP.parameter(context, "name"), as: principal)
                return SimHTTP.empty
            }
        }
        router.get("/v1/retry-policy/{name}") { request, context in
            await unary(request, sim) { _ in SimHTTP.json(try await sim.getRetryPolicy(SimHTTP.parameter(context, "name"))) }
        }
        router.get("/v1/retry-policies") { request, _ in
            await unary(request, sim) { _ in SimHTTP.json(RetryPolicyList(retryPolicies: await sim.allRetryPolicies())) }
        }
    }
}

extension SimServer {
    /// Runs the simulator's REST gateway on an ephemeral loopback port for the duration of `body`,
    /// which gets the port; the server and every run are stopped when it returns.
    public static func withRunning<T: Sendable>(_ simulator: Simulator, host: String = "127.0.0.1",
                                                _ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await withFrontDoors(simulator, host: host, grpcPort: nil) { try await body($0.rest) }
    }

    /// Runs both front doors, the REST gateway on `restPort` and, unless `grpcPort` is nil, the gRPC
    /// API on `grpcPort` (0: a free port each), for the duration of `body`, which gets the bound
    /// ports once both listen, and the ingress controller (`SimIngress`) on `ingressPort`. A server
    /// that cannot start ends the call with its error; the servers
    /// and every run are stopped when `body` returns.
    public static func withFrontDoors<T: Sendable>(_ simulator: Simulator, host: String = "127.0.0.1", restPort: Int = 0,
                                                   grpcPort: Int? = 0, grpcTLS: SimGRPCServer.TLS? = nil,
                                                   grpcShutdownGrace: Duration = .seconds(5), ingressPort: Int = 0, requestLog: RequestLog? = nil,
                                                   _ body: @Sendable (SimPorts) async throws -> T) async throws -> T {
        let (bound, continuation) = AsyncStream<(door: SimDoor, port: Int)>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // A server that ends (on an error) ends the wait for its port too.
                defer { continuation.finish() }
                try await run(simulator, host: host, port: restPort, requestLog: requestLog) { continuation.yield((.rest, $0)) }
            }
            if let grpcPort {
                group.addTask {
                    defer { continuation.finish() }
                    try await SimGRPCServer.run(simulator, host: host, port: grpcPort, tls: grpcTLS,
                                                shutdownGrace: grpcShutdownGrace, requestLog: requestLog) { continuation.yield((.grpc, $0)) }
                }
            }
            group.addTask {
                defer { continuation.finish() }
                try await SimIngress.run(host: host, port: ingressPort, route: { [weak simulator] in await simulator?.ingressTarget($0) }) {
                    continuation.yield((.ingress, $0))
                }
            }
            var rest: Int?, grpc: Int?, ingress: Int?
            for await (door, port) in bound {
                switch door {
                case .rest: rest = port
                case .grpc: grpc = port
                case .ingress: ingress = port
                }
                if rest != nil, ingress != nil, grpc != nil || grpcPort == nil { break }
            }
            guard let rest, let ingress, grpc != nil || grpcPort == nil else {
                while try await group.next() != nil {}
                throw CancellationError()
            }
            defer { group.cancelAll() }
            let value = try await body(SimPorts(rest: rest, grpc: grpc, ingress: ingress))
            await simulator.stop()
            return value
        }
    }
}

/// One of the simulator's listeners, reporting its port.
enum SimDoor: Sendable { case rest, grpc, ingress }

/// The ports the simulator's front doors listen on.
public struct SimPorts: Sendable, Hashable {
    public var rest: Int
    /// nil when the gRPC API was not started.
    public var grpc: Int?
    /// The ingress controller (`SimIngress`): ingress hosts are reached through it.
    public var ingress: Int

    public init(rest: Int, grpc: Int?, ingress: Int) {
        self.rest = rest
        self.grpc = grpc
        self.ingress = ingress
    }
}
