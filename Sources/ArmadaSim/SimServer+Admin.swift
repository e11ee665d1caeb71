import ArmadaAPI
import Foundation
import Hummingbird

extension SimServer {
    /// `/_sim/…`: fault injection for tests (not part of Armada's API); every call needs the
    /// `sim_admin` permission (everyone has it without an `auth:` block).
    static func adminRoutes(_ router: Router<SimRequestContext>, _ sim: Simulator) {
        router.get("/_sim/faults") { request, _ in
            await admin(request, sim) {
                let faults = await sim.faults
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(bytes: (try? JSONEncoder().encode(faults)) ?? Data())))
            }
        }
        router.put("/_sim/faults") { request, _ in
            await admin(request, sim) {
                await sim.setFaults(try await SimHTTP.decode(SimFaults.self, request))
                return SimHTTP.empty
            }
        }
        // What Armada's API does not report about runs (their memory after retry bumps).
        router.get("/_sim/runs") { request, _ in
            await admin(request, sim) {
                let queue = request.uri.queryParameters.get("queue") ?? "", jobSet = request.uri.queryParameters.get("jobSetId") ?? ""
                let runs = await sim.runLog(queue: queue, jobSetId: jobSet)
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(bytes: (try? JSONEncoder().encode(["runs": runs])) ?? Data())))
            }
        }
        router.post("/_sim/expire-lease/{jobId}") { request, context in
            await admin(request, sim) {
                try await sim.expireLease(SimHTTP.parameter(context, "jobId"))
                return SimHTTP.empty
            }
        }
    }

    /// Authenticates the caller and checks `sim_admin` before the operation.
    static func admin(_ request: Request, _ sim: Simulator, _ body: @escaping @Sendable () async throws -> Response) async -> Response {
        await unary(request, sim) { principal in
            guard sim.config.auth.has(principal, SimAuth.adminPermission) else {
                throw SimError(.permissionDenied, "user \(principal.name) does not have permission \(SimAuth.adminPermission)")
            }
            return try await body()
        }
    }
}

/// Delays and fails `/v1` calls as `SimFaults` says.
struct FaultMiddleware: RouterMiddleware {
    typealias Context = SimRequestContext
    let simulator: Simulator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        let faults = await simulator.faults
        if faults.responseDelay > 0 { try? await Task.sleep(for: Duration.clamped(seconds: faults.responseDelay)) }
        if faults.failureRate > 0, Double.random(in: 0..<1) < faults.failureRate {
            return SimHTTP.error(SimError(.unavailable, "simulated fault: service unavailable"))
        }
        return try await next(request, context)
    }
}
