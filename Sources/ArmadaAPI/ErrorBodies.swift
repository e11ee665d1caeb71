/// Body of a failed unary call: `{"error": msg, "code": <grpc code>, "message": msg}` (REST doc §8.1).
public struct UnaryErrorBody: Sendable, Hashable, Codable {
    public var error: String
    public var code: Int
    public var message: String
    public var details: [JSONValue]?

    public init(code: GRPCStatusCode, message: String) {
        self.error = message
        self.code = code.rawValue
        self.message = message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        error = c.lenientString("error")
        code = c.lenientInteger("code")
        message = c.lenientString("message")
        details = c.tolerant([JSONValue].self, "details")
    }
}

/// The error chunk that ends a failed stream: snake_case keys, no trailing newline (REST doc §4.1).
public struct StreamError: Sendable, Hashable, Codable {
    public var grpcCode: Int
    public var httpCode: Int
    public var message: String
    public var httpStatus: String
    public var details: [JSONValue]?

    public init(code: GRPCStatusCode, message: String, httpStatusText: String) {
        grpcCode = code.rawValue
        httpCode = code.httpStatus
        self.message = message
        httpStatus = httpStatusText
    }

    private enum CodingKeys: String, CodingKey {
        case grpcCode = "grpc_code", httpCode = "http_code", message, httpStatus = "http_status", details
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        grpcCode = c.lenientInteger(.grpcCode)
        httpCode = c.lenientInteger(.httpCode)
        message = c.lenientString(.message)
        httpStatus = c.lenientString(.httpStatus)
        details = c.tolerant([JSONValue].self, .details)
    }
}

/// One line of a server stream: `{"result": …}` or `{"error": {…}}`.
public enum StreamFrame<Result: Decodable & Sendable>: Sendable, Decodable {
    case result(Result)
    case error(StreamError)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        if c.contains("result") {
            self = .result(try c.decode(Result.self, forKey: "result"))
        } else if c.contains("error") {
            self = .error(try c.decode(StreamError.self, forKey: "error"))
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "stream line has neither result nor error"))
        }
    }
}
