import ArmadaAPI
import Foundation

/// Armada's REST gateway, one method per endpoint (REST doc §3), with typed results and
/// `ArmadaError`s. Idempotent calls, and calls that hit the "queue not visible yet" window after
/// a queue was created, are retried with backoff up to `retry.deadline`; validation errors never
/// are. A 401 makes the credentials refresh once (exec auth).
public struct ArmadaRESTClient: Sendable {
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

    /// When a failed call may be repeated.
    public enum Retrying: Sendable {
        /// Safe to repeat: transport errors, 5xx, 429 and a not-yet-visible queue are retried.
        case idempotent
        /// Not safe to repeat (submit): only the queue-not-visible rejection is retried.
        case onlyQueueNotVisible
    }

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

    /// Sends a unary call and returns the raw 2xx body, retrying as `retrying` allows.
    /// - Parameter queueLag: whether "queue not found" means the queue cache has not caught up (submit,
    ///   cancel, preempt, reprioritize) and is worth retrying; queue and policy CRUD read the database,
    ///   so for them it is final.
    func unary(_ method: String, _ path: String, body: [UInt8]?, retrying: Retrying, queueLag: Bool = true,
               query: [URLQueryItem] = []) async throws(ArmadaError) -> [UInt8] {
        let endpoint = "\(method) \(path)"
        let clock = ContinuousClock()
        let start = clock.now
        var attempt = 0
        var refreshedCredentials = false
        while true {
            attempt += 1
            var failure: ArmadaError
            let call = try await request(method, path, body: body, query: query, timeout: callTimeout)
            do {
                let response = try await transport.send(call)
                if (200..<300).contains(response.status) { return response.body }
                failure = ArmadaError.fromResponse(endpoint: endpoint, status: response.status, body: response.body)
            } catch let e as ArmadaError {
                failure = e
            } catch is CancellationError {
                throw ArmadaError(.transport, endpoint: endpoint, message: "cancelled")
            } catch let e as TimeoutError {
                failure = ArmadaError(.timeout, endpoint: endpoint, message: "no answer within \(e.timeout)")
            } catch {
                failure = ArmadaError(.transport, endpoint: endpoint, message: Self.describe(transportError: error))
            }
            failure = failure.redacting(authorization: call.headers["Authorization"])
            if failure.httpStatus == 401, !refreshedCredentials, await credentials.credentialsRejected() {
                refreshedCredentials = true
                continue
            }
            if !queueLag || !queueCacheLag { failure.queueNotFound = false }
            guard Self.isRetryable(failure, retrying), clock.now - start < retry.deadline, !Task.isCancelled else {
                throw failure
            }
            do {
                try await Task.sleep(for: retry.delay(beforeRetry: attempt, unit: Double.random(in: 0..<1)))
            } catch {
                throw ArmadaError(.transport, endpoint: endpoint, message: "cancelled")
            }
        }
    }

    static func isRetryable(_ error: ArmadaError, _ retrying: Retrying) -> Bool {
        if error.queueNotFound { return true }
        guard retrying == .idempotent else { return false }
        switch error.kind {
        case .transport, .timeout: return true
        case .server:
            guard let status = error.httpStatus else { return false }
            return status == 429 || status == 502 || status == 503 || status == 504
                || error.code == .unavailable || error.code == .resourceExhausted
        case .decoding, .authentication, .configuration: return false
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
