import Foundation

/// A child process run to its end: exit status and everything it printed. Standard error goes
/// through a file, so a child that fills it can never block while its standard output is read.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// `python3 -c script arguments…`: its standard output, or an error with its standard error.
    /// The report tests use Python's xunitparser, junitparser and jsonschema (`make test` installs them).
    public static func python(_ script: String, _ arguments: [String]) async throws -> String {
        let r = try await run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script] + arguments)
        guard r.status == 0 else { throw PythonFailed(message: r.stderr) }
        return r.stdout
    }

    public struct PythonFailed: Error, CustomStringConvertible {
        public var message: String
        public var description: String {
            "python3 failed (run `make test`, which installs xunitparser, junitparser and jsonschema): \(message)"
        }
    }

    /// Runs `executable` with `arguments` in `directory` (the current one when nil), with
    /// `environment` (this process's when nil). The waiting happens on a thread of its own: a test
    /// blocking one of Swift concurrency's few threads (two on this machine) for a child's
    /// lifetime would starve every other test's tasks (the gRPC client and server run on them).
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil) async throws -> ProcessOutput {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try runBlocking(executable, arguments, in: directory, environment: environment) })
            }
            thread.start()
        }
    }

    static func runBlocking(_ executable: URL, _ arguments: [String], in directory: URL?,
                            environment: [String: String]?) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let errorFile = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("stderr-\(UUID().uuidString)")
        try Data().write(to: errorFile)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let out = Pipe()
        let err = try FileHandle(forWritingTo: errorFile)
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let stderr = try Data(contentsOf: errorFile)
        return ProcessOutput(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }
}
