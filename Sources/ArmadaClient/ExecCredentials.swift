import Foundation

/// armadactl's `execAuth`: runs a command whose standard output is a bearer token. The token is
/// cached until the server rejects it (401), then the command runs again.
public actor ExecCredentials: CredentialProvider {
    public nonisolated let command: String
    public nonisolated let arguments: [String]
    nonisolated let environment: [String: String]
    private var cached: Secret?

    public init(command: String, arguments: [String] = [], environment: [String: String] = [:]) {
        self.command = command
        self.arguments = arguments
        self.environment = environment
    }

    public nonisolated var summary: String { "exec (\(command))" }

    public func authorization() async throws(ArmadaError) -> Secret? {
        if let cached { return cached }
        let token = try await run()
        let secret = Secret("Bearer " + token)
        cached = secret
        return secret
    }

    public func credentialsRejected() async -> Bool {
        cached = nil
        return true
    }

    private func run() async throws(ArmadaError) -> String {
        let result: ExternalCommand.Output
        do {
            result = try await ExternalCommand.run(command, arguments, environment: environment)
        } catch {
            throw ArmadaError(.authentication, endpoint: "", message: "execAuth: cannot run \(command): \(error.localizedDescription)")
        }
        // The output is the token: never put it into a message.
        guard result.status == 0 else {
            throw ArmadaError(.authentication, endpoint: "", message: "execAuth: \(command) exited with status \(result.status)")
        }
        let token = String(decoding: result.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw ArmadaError(.authentication, endpoint: "", message: "execAuth: \(command) printed no token")
        }
        return token
    }
}
