import ArmadaAPI
import GRPCCore

/// What every gRPC handler of the simulator shares with its REST twin: the same fault injection
/// (delay, Unavailable at `failureRate`), the same authentication (the `authorization` metadata
/// carries what the REST `Authorization` header does), and the same errors as gRPC statuses.
enum SimGRPC {
    /// Authenticates the caller and runs `body`, turning `SimError`s into the status the real
    /// server would send.
    static func call<Output>(_ sim: Simulator, _ metadata: Metadata,
                             _ body: (SimAuth.Principal) async throws -> Output) async throws -> Output {
        let faults = await sim.faults
        if faults.responseDelay > 0 { try? await Task.sleep(for: Duration.clamped(seconds: faults.responseDelay)) }
        if faults.failureRate > 0, Double.random(in: 0..<1) < faults.failureRate {
            throw RPCError(code: .unavailable, message: "simulated fault: service unavailable")
        }
        do {
            let principal = try await sim.authenticate(metadata[stringValues: "authorization"].first { _ in true })
            return try await body(principal)
        } catch let error as SimError {
            throw rpcError(error)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(code: .internalError, message: "\(error)")
        }
    }

    /// A unary handler: `call`, with the answer wrapped.
    static func unary<Input, Output>(_ sim: Simulator, _ request: ServerRequest<Input>,
                                     _ body: (Input, SimAuth.Principal) async throws -> Output) async throws -> ServerResponse<Output> {
        ServerResponse(message: try await call(sim, request.metadata) { try await body(request.message, $0) })
    }

    static func rpcError(_ error: SimError) -> RPCError {
        RPCError(code: code(error.code), message: error.message)
    }

    static func code(_ code: GRPCStatusCode) -> RPCError.Code {
        switch code {
        case .ok, .unknown: .unknown
        case .canceled: .cancelled
        case .invalidArgument: .invalidArgument
        case .deadlineExceeded: .deadlineExceeded
        case .notFound: .notFound
        case .alreadyExists: .alreadyExists
        case .permissionDenied: .permissionDenied
        case .resourceExhausted: .resourceExhausted
        case .failedPrecondition: .failedPrecondition
        case .aborted: .aborted
        case .outOfRange: .outOfRange
        case .unimplemented: .unimplemented
        case .internalError: .internalError
        case .unavailable: .unavailable
        case .dataLoss: .dataLoss
        case .unauthenticated: .unauthenticated
        }
    }

    /// The answer to a method Armada has and the simulator does not model.
    static func unimplemented(_ method: String) -> RPCError {
        RPCError(code: .unimplemented, message: "the Armada simulator does not implement \(method)")
    }
}
