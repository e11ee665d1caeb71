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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let status: Int32
        let output: Data
        // Read while the command runs: a token larger than the pipe buffer would otherwise block it.
        let reader = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }
        do {
            status = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    try? stdout.fileHandleForWriting.close() // ends the reader
                    continuation.resume(throwing: error)
                }
            }
            output = await reader.value
        } catch {
            throw ArmadaError(.authentication, endpoint: "", message: "execAuth: cannot run \(command): \(error.localizedDescription)")
        }
        // The output is the token: never put it into a message.
        guard status == 0 else {
            throw ArmadaError(.authentication, endpoint: "", message: "execAuth: \(command) exited with status \(status)")
        }
        let token = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw ArmadaError(.authentication, endpoint: "", message: "execAuth: \(command) printed no token")
        }
        return token
    }
}
