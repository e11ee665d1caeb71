import Foundation

/// Runs a host command (through `/usr/bin/env`, so it is looked up on PATH) and collects what it
/// prints: the exec credential's token, kubectl's node names.
enum ExternalCommand {
    struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(_ command: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [command] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        // Read while the command runs: output larger than the pipe buffer would otherwise block it.
        let out = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }
        let err = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                try? stdout.fileHandleForWriting.close() // ends the readers
                try? stderr.fileHandleForWriting.close()
                continuation.resume(throwing: error)
            }
        }
        return Output(status: status, stdout: await out.value, stderr: await err.value)
    }
}
