import ArmadaAPI
import Foundation
import GRPCCore
import Hummingbird

/// `serve --log-requests`: one line per request the simulator answers, on either front door —
/// `request: POST /v1/job/submit → 200 in 3.1 ms`, `request: api.Submit/SubmitJobs → OK in 2.0 ms` —
/// timed to the answer's head (a stream's line comes when it starts). Headers and bodies are never
/// logged, so credentials are not either.
public struct RequestLog: Sendable {
    public let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    func line(_ name: String, _ result: String, since start: ContinuousClock.Instant) {
        write("request: \(name) → \(result) in \((ContinuousClock.now - start).millisecondsText) ms")
    }
}

/// The REST gateway's side.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = SimRequestContext
    let log: RequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let name = "\(request.method) \(request.uri.path)"
        do {
            let response = try await next(request, context)
            log.line(name, "\(response.status.code)", since: start)
            return response
        } catch {
            log.line(name, "\((error as? any HTTPResponseError)?.status.code ?? 500)", since: start)
            throw error
        }
    }
}

/// The gRPC API's side.
struct RequestLogInterceptor: ServerInterceptor {
    let log: RequestLog

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>, context: ServerContext,
        next: (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let start = ContinuousClock.now
        let name = context.descriptor.fullyQualifiedMethod
        do {
            let response = try await next(request, context)
            switch response.accepted {
            case .success: log.line(name, "OK", since: start)
            case .failure(let error): log.line(name, "\(error.code)", since: start)
            }
            return response
        } catch {
            log.line(name, (error as? RPCError).map { "\($0.code)" } ?? "unknown", since: start)
            throw error
        }
    }
}
