import ArgumentParser
import ArmadaClient
import Foundation

extension ArmadaTransport: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `ARMADA_TRANSPORT` for the embedded simulator (targets read it in `TargetResolver`).
enum TransportChoice {
    static func fromEnvironment() throws -> ArmadaTransport? {
        guard let text = ProcessInfo.processInfo.environment["ARMADA_TRANSPORT"], !text.isEmpty else { return nil }
        guard let transport = ArmadaTransport(rawValue: text.lowercased()) else {
            throw UsageError(message: "ARMADA_TRANSPORT=\"\(text)\" must be grpc or rest")
        }
        return transport
    }
}
