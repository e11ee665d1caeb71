import Foundation
import Synchronization

/// The `testsuite` binary running in the background: its output as it comes, signals, and its exit
/// status, all without blocking a thread or polling.
final class RunningCLI: Sendable {
    private struct State {
        var stdout = ""
        var stderr = ""
        var outClosed = false
        var errClosed = false
        var textWaiters: [(String, CheckedContinuation<Bool, Never>)] = []
        var closeWaiters: [CheckedContinuation<Void, Never>] = []

        /// Resumes every waiter whose condition now holds.
        mutating func settle() {
            let text = stdout, closed = outClosed
            var keep: [(String, CheckedContinuation<Bool, Never>)] = []
            for (needle, c) in textWaiters {
                if text.contains(needle) { c.resume(returning: true) } else if closed { c.resume(returning: false) } else { keep.append((needle, c)) }
            }
            textWaiters = keep
            if outClosed && errClosed {
                for c in closeWaiters { c.resume() }
                closeWaiters = []
            }
        }
    }

    private final class Box: Sendable {
        let mutex = Mutex(State())
        func withLock<R>(_ body: (inout State) -> R) -> R { mutex.withLock { body(&$0) } }
    }

    let process: Process
    private let state = Box()
    private let exited: AsyncStream<Int32>

    init(_ arguments: [String], in directory: URL) throws {
        let process = Process()
        process.executableURL = try CLITests.binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let (exited, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.exited = exited
        self.process = process
        process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        // One thread per pipe with blocking reads (a dispatch read source on a pipe that closes
        // under load has crashed libdispatch's event loop).
        for (pipe, isOut) in [(out, true), (err, false)] {
            let handle = pipe.fileHandleForReading
            let thread = Thread { [state] in
                while true {
                    // Whatever has arrived (read(upToCount:) would wait for the whole count); empty at the end.
                    let chunk = handle.availableData
                    state.withLock { s in
                        if isOut { s.stdout += String(decoding: chunk, as: UTF8.self) } else { s.stderr += String(decoding: chunk, as: UTF8.self) }
                        if chunk.isEmpty { if isOut { s.outClosed = true } else { s.errClosed = true } }
                        s.settle()
                    }
                    if chunk.isEmpty { return }
                }
            }
            thread.start()
        }
        try process.run()
    }

    /// Returns once stdout contains `text` (true) or closes without it (false).
    func waitForOutput(_ text: String) async -> Bool {
        await withCheckedContinuation { c in
            state.withLock { s in
                s.textWaiters.append((text, c))
                s.settle()
            }
        }
    }

    func send(_ signal: Int32) { _ = Foundation.kill(process.processIdentifier, signal) }

    /// Whether the process has a handler for `signal` now (its `SigCgt` mask in /proc).
    func catches(_ signal: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// Whether a signal ended the process (valid once `status()` returned; the status is then its number).
    var signalled: Bool { process.terminationReason == .uncaughtSignal }

    /// The exit status, once the process has ended and all its output is read.
    func status() async -> Int32 {
        var status: Int32 = -1
        for await s in exited { status = s }
        await withCheckedContinuation { c in
            state.withLock { s in
                s.closeWaiters.append(c)
                s.settle()
            }
        }
        return status
    }

    var stdout: String { state.withLock { $0.stdout } }
    var stderr: String { state.withLock { $0.stderr } }

    func stop() { if process.isRunning { process.terminate() } }
}
