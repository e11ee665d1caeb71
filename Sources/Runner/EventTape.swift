import ArmadaAPI
import Foundation
import Synchronization

/// `--record DIR`: every event one test run received, as received, in `DIR/<job set>.ndjson` —
/// a header line (the run's target and transport, the test-case file, the queue, job set and job
/// ids), then one `{"result":…}` line per event (the REST stream's form, whichever transport
/// brought it), then, when the test ended, a line with its verdict. Lines are written as events
/// arrive, so a failed or interrupted run leaves its tape too. `testsuite replay` reads it back.
public final class EventTape: Sendable {
    public struct Header: Codable, Sendable, Equatable {
        public var tape = 1
        public var test: String
        public var file: String
        public var target: String
        public var transport: String
        public var queue: String
        public var jobSet: String
        public var jobIds: [String]
        public var started: String

        public init(test: String, file: String, target: String, transport: String, queue: String, jobSet: String, jobIds: [String],
                    started: Date) {
            (self.test, self.file, self.target, self.transport) = (test, file, target, transport)
            (self.queue, self.jobSet, self.jobIds) = (queue, jobSet, jobIds)
            self.started = started.formatted(.iso8601)
        }
    }

    /// The last line: how the recorded run ended.
    public struct Verdict: Codable, Sendable, Equatable {
        public var verdict: String
        public var message: String
    }

    public let path: String
    private let handle: Mutex<FileHandle?>

    /// Creates the tape and writes its header.
    public init(directory: String, header: Header) throws {
        path = directory + "/" + header.jobSet.map { $0 == "/" ? "_" : $0 } + ".ndjson"
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        handle = Mutex(file)
        write(try JSONEncoder.sorted.encode(header) + [0x0A])
    }

    public func append(_ message: EventStreamMessage) { write(message.streamLine) }

    /// Writes the verdict line and closes the tape.
    public func close(_ outcome: TestResult.Outcome) {
        if let line = try? JSONEncoder.sorted.encode(Verdict(verdict: outcome.status.rawValue, message: outcome.message)) {
            write(line + [0x0A])
        }
        handle.withLock { file in
            try? file?.close()
            file = nil
        }
    }

    private func write(_ bytes: some Sequence<UInt8>) {
        let data = Data(bytes)
        handle.withLock { file in try? file?.write(contentsOf: data) }
    }
}

extension JSONEncoder {
    /// Keys in order, so a tape's header reads the same every time.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
