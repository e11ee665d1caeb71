import ArmadaAPI
import Foundation
import TestSpec

/// `testsuite replay`: a recorded tape (`EventTape`) fed to the same watch loop a run uses, offline:
/// the expectation matcher, the activity tracker and the action trigger see the recorded events
/// (actions are not sent again: the tape holds what they caused), so the verdict is the one the run
/// would reach with those events. What a tape cannot replay: ingress probes (not events), and the
/// check after a `cancelJobSet … no active jobs` action (a call, not an event).
public enum TapeReplay {
    public struct Tape: Sendable {
        public var path: String
        public var header: EventTape.Header
        public var events: [EventStreamMessage]
        /// How the recorded run ended; nil when it was killed before the end.
        public var verdict: EventTape.Verdict?
    }

    /// A tape that cannot be read: where and why.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String) throws(ReadError) -> Tape {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ReadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
        return try parse(Array(data), path: path)
    }

    /// A tape's bytes (`path` names it in errors).
    public static func parse(_ bytes: [UInt8], path: String) throws(ReadError) -> Tape {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard let first = lines.first, let header = try? JSONDecoder().decode(EventTape.Header.self, from: Data(first)), header.tape == 1 else {
            throw ReadError(description: "\(path):1: not an event tape (its first line must be the header `testsuite test --record` writes)")
        }
        var tape = Tape(path: path, header: header, events: [])
        for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            if let message = line.withUnsafeBufferPointer({ EventStreamMessage.scanStreamLine($0) }) {
                tape.events.append(message)
            } else if let verdict = try? JSONDecoder().decode(EventTape.Verdict.self, from: Data(line)) {
                tape.verdict = verdict
            } else {
                throw ReadError(description: "\(path):\(i + 1): neither an event ({\"result\":…}) nor the verdict line")
            }
        }
        return tape
    }

    /// The verdict of `test`'s expectations on the tape's events. A tape that ends before a
    /// verdict (the recorded run timed out, or was interrupted or killed) is a timeout.
    public static func replay(_ tape: Tape, test: TestCase) async -> TestResult {
        let h = tape.header
        let loop = WatchLoop(client: TapeClient(events: tape.events), test: test, queue: h.queue, jobSetId: h.jobSet, jobIds: h.jobIds,
                             options: .init(watch: false, maxConsecutiveFailures: 1), observer: nil, index: 0)
        let result = await loop.run(timeout: .seconds(3600))
        let outcome: TestResult.Outcome = result.streamEnded
            ? .timedOut("the tape ends before every job produced its expected events: " + result.outcome.message) : result.outcome
        return TestResult(name: h.test, file: h.file, folder: test.folder, jobSetId: h.jobSet, queue: h.queue, environment: test.environment,
                          target: h.target, outcome: outcome, log: result.lines, jobs: result.jobs, latencies: result.latencies,
                          eventsReceived: result.events)
    }
}
