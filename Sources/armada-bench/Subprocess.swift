import Foundation

import Synchronization

/// Bytes collected from a pipe by its readability handler.
final class OutputBuffer: Sendable {
    private let buffer = Mutex(Data())
    func append(_ data: Data) { buffer.withLock { $0.append(data) } }
    var data: Data { buffer.withLock { $0 } }
}

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
        // Read while it runs: a child writing more than the pipe holds would block for ever.
        let collected = OutputBuffer()
        out.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { collected.append(data) }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let seconds = (clock.now - start).seconds
        out.fileHandleForReading.readabilityHandler = nil
        collected.append(out.fileHandleForReading.readDataToEndOfFile())
        let data = collected.data
        return Subprocess(status: status, stdout: String(decoding: data, as: UTF8.self), seconds: seconds)
    }

    /// The executable next to this one (`testsuite` beside `armada-bench`).
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
