import ArmadaAPI
import Foundation

/// Armada's REST gateway, one method per endpoint (REST doc §3), with typed results and
/// `ArmadaError`s. Idempotent calls, and calls that hit the "queue not visible yet" window after
/// a queue was created, are retried with backoff up to `retry.deadline`; validation errors never
/// are. A 401 makes the credentials refresh once (exec auth).
public struct ArmadaRESTClient: ArmadaAPIClient {
    public let baseURL: URL
    public let transport: any HTTPTransport
    public let credentials: any CredentialProvider
    /// Limit of one unary call.
    public var callTimeout: Duration
    public var retry: RetrySchedule
    /// Whether "queue not found" may be the server's queue cache lagging behind a new queue (a real
    /// Armada, ~10 s); the embedded simulator has no such lag, so there it is final at once.
    public var queueCacheLag = true

    public init(baseURL: URL, transport: any HTTPTransport = RoutingTransport(),
                credentials: any CredentialProvider = NoCredentials(), callTimeout: Duration = .seconds(30),
                retry: RetrySchedule = RetrySchedule()) {
        self.baseURL = baseURL
        self.transport = transport
        self.credentials = credentials
        self.callTimeout = callTimeout
        self.retry = retry
    }

    public var transportKind: ArmadaTransport { .rest }

    public func limited(to deadline: Duration) -> any ArmadaAPIClient {
        var copy = self
        copy.callTimeout = deadline
        copy.retry = RetrySchedule(deadline: deadline)
        return copy
    }

    public typealias Retrying = CallRetrier.Retrying

    var retrier: CallRetrier { CallRetrier(schedule: retry, queueCacheLag: queueCacheLag, credentials: credentials) }

    // MARK: Plumbing

    func url(_ path: String, query: [URLQueryItem] = []) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        let basePath = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast())
            : components.percentEncodedPath
        components.percentEncodedPath = basePath + path
        if !query.isEmpty { components.queryItems = query }
        return components.url!
    }

    /// A path segment made safe for the URL (queue and job-set names may hold any character).
    static func segment(_ s: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    func request(_ method: String, _ path: String, body: [UInt8]?, query: [URLQueryItem] = [],
                 timeout: Duration?) async throws(ArmadaError) -> TransportRequest {
        var headers = ["Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        if let auth = try await credentials.authorization() { headers["Authorization"] = auth.revealed }
        return TransportRequest(method: method, url: url(path, query: query), headers: headers, body: body, timeout: timeout)
    }

    static func encode<T: Encodable>(_ value: T, endpoint: String) throws(ArmadaError) -> [UInt8] {
        do {
            return try GatewayJSON.encode(value)
        } catch {
            throw ArmadaError(.decoding, endpoint: endpoint, message: "cannot encode the request: \(error)")
        }
    }

    /// Sends a unary call and returns the raw 2xx body, retrying as `retrying` allows (`CallRetrier`).
    func unary(_ method: String, _ path: String, body: [UInt8]?, retrying: Retrying, queueLag: Bool = true,
               query: [URLQueryItem] = []) async throws(ArmadaError) -> [UInt8] {
        let endpoint = "\(method) \(path)"
        return try await retrier.run(endpoint: endpoint, retrying: retrying, queueLag: queueLag) { () async throws(ArmadaError) -> [UInt8] in
            let call = try await request(method, path, body: body, query: query, timeout: callTimeout)
            let failure: ArmadaError
            do {
                let response = try await transport.send(call)
                if (200..<300).contains(response.status) { return response.body }
                failure = ArmadaError.fromResponse(endpoint: endpoint, status: response.status, body: response.body)
            } catch let e as ArmadaError {
                failure = e
            } catch is CancellationError {
                failure = ArmadaError(.transport, endpoint: endpoint, message: "cancelled")
            } catch let e as TimeoutError {
                failure = ArmadaError(.timeout, endpoint: endpoint, message: "no answer within \(e.timeout)")
            } catch {
                failure = ArmadaError(.transport, endpoint: endpoint, message: Self.describe(transportError: error))
            }
            throw failure.redacting(authorization: call.headers["Authorization"])
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8], endpoint: String) throws(ArmadaError) -> T {
        do {
            return try JSONCoding.decoder.decode(type, from: body.isEmpty ? Array("{}".utf8) : body)
        } catch {
            throw ArmadaError(.decoding, endpoint: endpoint, message: "cannot read the response: \(error)")
        }
    }

    /// URLSession errors, in words and without the URL's credentials.
    public static func describe(transportError error: any Error) -> String {
        let ns = error as NSError
        if ns.domain == NSURLErrorDomain {
            switch ns.code {
            case NSURLErrorCannotConnectToHost: return "connection refused"
            case NSURLErrorTimedOut: return "timed out"
            case NSURLErrorNetworkConnectionLost: return "connection lost"
            case NSURLErrorCannotFindHost: return "unknown host"
            case NSURLErrorCancelled: return "cancelled"
            default: return "network error \(ns.code)"
            }
        }
        return "\(error)"
    }

    // MARK: Health

    /// `GET /health`: 2xx and 3xx are healthy (the server answers 204, or 503 with a reason).
    public func health() async throws(ArmadaError) {
        let endpoint = "GET /health"
        let response: TransportResponse
        do {
            response = try await transport.send(try await request("GET", "/health", body: nil, timeout: callTimeout))
        } catch let e as ArmadaError {
            throw e
        } catch {
            throw ArmadaError(.transport, endpoint: endpoint,
                              message: "\(url("/health").absoluteString) is unreachable: \(Self.describe(transportError: error))")
        }
        guard (200..<400).contains(response.status) else {
            let text = String(decoding: response.body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ArmadaError(.server, endpoint: endpoint, httpStatus: response.status, code: GRPCStatusCode(httpStatus: response.status),
                              message: "\(url("/health").absoluteString) is unhealthy" + (text.isEmpty ? "" : ": \(text)"))
        }
    }
}

extension ArmadaRESTClient {
    /// The node actions exist only in Armada's gRPC API (`api.Node`); the gateway has no route.
    public func cancelOnNode(_ request: NodeCancelRequest) async throws(ArmadaError) {
        throw Self.nodeActionsNeedGRPC("CancelOnNode")
    }

    public func preemptOnNode(_ request: NodePreemptRequest) async throws(ArmadaError) {
        throw Self.nodeActionsNeedGRPC("PreemptOnNode")
    }

    static func nodeActionsNeedGRPC(_ method: String) -> ArmadaError {
        ArmadaError(.configuration, endpoint: "api.Node/\(method)",
                    message: "node actions exist only in Armada's gRPC API, and this run uses the REST gateway: "
                        + "give the context an armadaUrl (or pass --grpc-url) and drop --transport rest")
    }
}
