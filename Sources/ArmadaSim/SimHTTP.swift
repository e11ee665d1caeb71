import ArmadaAPI
import Foundation
import Hummingbird
import NIOCore

/// JSON bodies and errors exactly as Armada's gateway writes them (REST doc §2, §8).
enum SimHTTP {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let bytes = (try? GatewayJSON.encode(value)) ?? Array("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static let empty = Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))

    /// A unary error: `{"error": m, "code": c, "message": m}` with the mapped HTTP status.
    /// With `close`, the answer ends the connection (see `ConnectionCloseMiddleware`).
    static func error(_ e: SimError) -> Response {
        let body = UnaryErrorBody(code: e.code, message: e.message)
        let bytes = Array(((try? JSONValueEncoder().encode(body)) ?? .object([])).jsonText.utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        if e.closesConnection { headers[.connection] = "close" }
        return Response(status: .init(code: e.code.httpStatus), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A stream error sent before any result: the stream-error body, with the mapped status.
    static func streamError(_ e: SimError) -> Response {
        let status = HTTPResponse.Status(code: e.code.httpStatus)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: streamErrorChunk(e))))
    }

    /// Go's `http.StatusText` for the statuses gRPC codes map to.
    static func statusText(_ code: Int) -> String {
        switch code {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }

    static func streamErrorChunk(_ e: SimError) -> [UInt8] {
        let chunk = StreamError(code: e.code, message: e.message, httpStatusText: statusText(e.code.httpStatus))
        let error = (try? JSONValueEncoder().encode(chunk)) ?? .object([])
        return Array(JSONValue.object([.init("error", error)]).jsonText.utf8)
    }

    /// The largest request body the simulator reads; a larger one is refused and its connection closed.
    static let maxBodyBytes = 64 << 20

    static let bodyTooLarge: SimError = {
        var error = SimError.invalid("the request body is larger than the simulator's limit of 64 MiB (\(maxBodyBytes) bytes): "
            + "send fewer items per request")
        error.closesConnection = true
        return error
    }()

    /// Decodes a request body; an empty body is the message's defaults (`{}`), as the gateway allows.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws(SimError) -> T {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes { throw bodyTooLarge }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw bodyTooLarge
        } catch {
            throw .invalid("cannot read the request body: \(error)")
        }
        return try decode(type, body: buffer)
    }

    /// Decodes a whole request body (the fuzz targets call this too) as the gateway does, with Go's
    /// `encoding/json` rules (`GoJSONDecoder`); an empty body is the message's defaults.
    static func decode<T: Decodable>(_ type: T.Type, body buffer: ByteBuffer) throws(SimError) -> T {
        if let fast = T.self as? any FastDecodable.Type,
           let value = buffer.readableBytesView.withUnsafeBytes({ fast.scan($0.assumingMemoryBound(to: UInt8.self)) }) as? T {
            return value
        }
        let bytes = Array(buffer.readableBytesView)
        do {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                return try GoJSONDecoder().decode(type, from: .object([]))
            }
            return try GoJSONDecoder().decode(type, from: bytes)
        } catch {
            throw .invalid(error.description)
        }
    }

    /// A path parameter, percent-decoded.
    static func parameter(_ context: SimRequestContext, _ name: String) -> String {
        let raw = context.parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}

extension Data {
    init(buffer: ByteBuffer) {
        self = buffer.withUnsafeReadableBytes { Data($0) }
    }
}

/// grpc-gateway's routing errors are plain text (REST doc §8.3): `404 Not Found\n`.
struct PlainNotFoundMiddleware: RouterMiddleware {
    typealias Context = SimRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "Not Found\n")))
        } catch let error as HTTPError where error.status == .methodNotAllowed {
            return Response(status: .methodNotAllowed, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "Method Not Allowed\n")))
        }
    }
}
