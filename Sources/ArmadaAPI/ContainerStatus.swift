/// `ContainerStatus` inside a `failed` event: where the real exit codes are.
public struct ContainerStatus: Sendable, Hashable, Codable {
    public var name: String
    public var exitCode: Int32
    public var message: String
    public var reason: String
    public var cause: Cause

    public init(name: String = "", exitCode: Int32 = 0, message: String = "", reason: String = "", cause: Cause = .error) {
        self.name = name
        self.exitCode = exitCode
        self.message = message
        self.reason = reason
        self.cause = cause
    }

    private enum CodingKeys: String, CodingKey { case name, exitCode, message, reason, cause }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = c.lenientString(.name)
        exitCode = c.lenientInteger(.exitCode)
        message = c.lenientString(.message)
        reason = c.lenientString(.reason)
        cause = c.tolerant(Cause.self, .cause) ?? .error
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeNonZero(name, forKey: .name)
        try c.encodeNonZero(exitCode, forKey: .exitCode)
        try c.encodeNonZero(message, forKey: .message)
        try c.encodeNonZero(reason, forKey: .reason)
        try c.encodeNonZero(cause, forKey: .cause)
    }
}
