import Hummingbird
import NIOCore

/// The simulator's request context: Hummingbird's basic one plus the connection, so that a
/// request the simulator refuses mid-body (`SimHTTP.maxBodyBytes`) can end its connection.
struct SimRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Ends the connection of a request answered with `Connection: close` (a body over the limit):
/// reading stops, so the rest of the body is not drained and a client still sending is cut off
/// rather than left blocked; the answer is written before the connection closes.
struct ConnectionCloseMiddleware: RouterMiddleware {
    typealias Context = SimRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = try await next(request, context)
        if response.headers[.connection] == "close" {
            context.channel.close(mode: .input, promise: nil)
        }
        return response
    }
}
