import Foundation

/// Runs a program to completion: its stdout, exit status and wall time.
struct Subprocess {
    var status: Int32
    var stdout: String
    var seconds: Double

    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) async throws -> Subprocess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        let clock = ContinuousClock()
        let start = clock.now
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let seconds = (clock.now - start).seconds
        let data = out.fileHandleForReading.readDataToEndOfFile()
        return Subprocess(status: status, stdout: String(decoding: data, as: UTF8.self), seconds: seconds)
    }

    /// The executable next to this one (`testsuite` beside `armada-bench`).
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
