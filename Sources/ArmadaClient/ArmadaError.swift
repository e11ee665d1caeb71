import ArmadaAPI
import Foundation

/// Every failure of the client, typed: which endpoint, what HTTP status and gRPC code, and the
/// server's message. Never contains credentials.
public struct ArmadaError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The server answered with an error status or an error chunk.
        case server
        /// No answer: connection refused, reset, TLS failure, DNS.
        case transport
        /// The answer could not be read.
        case decoding
        /// The call took longer than its timeout.
        case timeout
        /// Credentials could not be obtained (exec auth failed, variable unset).
        case authentication
        /// The configuration does not name a usable target.
        case configuration
    }

    public var kind: Kind
    /// `POST /v1/job/submit`.
    public var endpoint: String
    public var httpStatus: Int?
    public var code: GRPCStatusCode?
    public var message: String
    /// The server said the queue does not exist (yet): Armada's queue cache lags queue creation.
    public var queueNotFound: Bool
    /// The server said the job set does not exist (`errorIfMissing` watches only).
    public var jobSetNotFound: Bool
    /// A stream was closed because its consumer fell behind (`TransportRequest.maxBufferedBytes`);
    /// the watcher re-opens it from the last event at once.
    public var consumerFellBehind = false

    public init(_ kind: Kind, endpoint: String, httpStatus: Int? = nil, code: GRPCStatusCode? = nil, message: String,
                queueNotFound: Bool = false, jobSetNotFound: Bool = false, consumerFellBehind: Bool = false) {
        self.kind = kind
        self.endpoint = endpoint
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.queueNotFound = queueNotFound
        self.jobSetNotFound = jobSetNotFound
        self.consumerFellBehind = consumerFellBehind
    }

    /// The server refused the credentials (HTTP 401, gRPC Unauthenticated).
    public var isUnauthenticated: Bool { httpStatus == 401 || (kind == .server && code == .unauthenticated) }

    public var description: String {
        var parts: [String] = []
        if let httpStatus { parts.append("HTTP \(httpStatus)") }
        if let code { parts.append(code.name) }
        let status = parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
        let prefix = endpoint.isEmpty ? "" : "\(endpoint)\(status): "
        return prefix + message
    }

    /// The error with every occurrence of the credential (the whole header value and its token
    /// part) replaced, in case a server or proxy echoes it back.
    public func redacting(authorization: String?) -> ArmadaError {
        guard let authorization, !authorization.isEmpty else { return self }
        var copy = self
        var secrets = [authorization]
        if let space = authorization.firstIndex(of: " ") {
            let token = String(authorization[authorization.index(after: space)...])
            if token.count >= 4 { secrets.append(token) }
            if authorization.lowercased().hasPrefix("basic "), let data = Data(base64Encoded: token),
               let pair = String(data: data, encoding: .utf8), let colon = pair.firstIndex(of: ":") {
                let password = String(pair[pair.index(after: colon)...])
                if password.count >= 4 { secrets.append(password) }
            }
        }
        for secret in secrets { copy.message = copy.message.replacingOccurrences(of: secret, with: "<redacted>") }
        return copy
    }

    /// Builds the error for a non-2xx response from its body: the unary form, the stream form, or
    /// plain text. This is the only place that reads server message text.
    public static func fromResponse(endpoint: String, status: Int, body: [UInt8]) -> ArmadaError {
        var code: GRPCStatusCode?
        var message = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let unary = try? JSONCoding.decoder.decode(UnaryErrorBody.self, from: body), !unary.message.isEmpty || unary.code != 0 {
            code = GRPCStatusCode(rawValue: unary.code)
            message = unary.message.isEmpty ? unary.error : unary.message
        } else if let frame = try? JSONCoding.decoder.decode(StreamFrame<JSONValue>.self, from: body),
                  case .error(let streamError) = frame {
            code = GRPCStatusCode(rawValue: streamError.grpcCode)
            message = streamError.message
        }
        if message.isEmpty { message = "empty response body" }
        return ArmadaError(.server, endpoint: endpoint, httpStatus: status, code: code ?? GRPCStatusCode(httpStatus: status),
                           message: message, queueNotFound: mentionsMissingQueue(message),
                           jobSetNotFound: mentionsMissingJobSet(message))
    }

    /// The error chunk at the end of a stream.
    public static func fromStreamError(endpoint: String, status: Int, _ error: StreamError) -> ArmadaError {
        ArmadaError(.server, endpoint: endpoint, httpStatus: error.httpCode == 0 ? status : error.httpCode,
                    code: GRPCStatusCode(rawValue: error.grpcCode), message: error.message,
                    queueNotFound: mentionsMissingQueue(error.message), jobSetNotFound: mentionsMissingJobSet(error.message))
    }

    /// `could not find queue "x"` (submit, cancel) and `Queue x does not exist` (watch).
    static func mentionsMissingQueue(_ message: String) -> Bool {
        let m = message.lowercased()
        return m.contains("could not find queue") || (m.contains("] queue ") && m.contains("does not exist"))
    }

    /// `[GetJobSetEvents] Jobset <id> for queue <q> does not exist`.
    static func mentionsMissingJobSet(_ message: String) -> Bool {
        let m = message.lowercased()
        return m.contains("jobset ") && m.contains("does not exist")
    }
}
