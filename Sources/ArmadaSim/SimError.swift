import ArmadaAPI

/// An error the simulated server answers with: a gRPC code and Armada's message text.
public struct SimError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: GRPCStatusCode
    public var message: String
    /// The answer ends the connection (a request body over the limit, whose rest is not read).
    var closesConnection = false

    public init(_ code: GRPCStatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.name): \(message)" }

    static func invalid(_ message: String) -> SimError { SimError(.invalidArgument, message) }
    static func queueMissing(_ queue: String) -> SimError { SimError(.permissionDenied, "could not find queue \"\(queue)\"") }
}
