import Foundation
import Runner
import Synchronization
import TestSpec

/// The console while a suite runs: a start and an end line per test (with each job's events, and
/// the log of a test that did not pass), and on a terminal a live status line (running, passed,
/// failed, events per second) redrawn by `tick()`. `quiet` keeps failures only.
public final class ConsoleReporter: RunObserver {
    public struct Options: Sendable {
        public var style: ConsoleStyle
        /// Standard output is a terminal: draw the live status line.
        public var liveStatus: Bool
        public var quiet: Bool

        public init(style: ConsoleStyle = ConsoleStyle(color: false), liveStatus: Bool = false, quiet: Bool = false) {
            self.style = style
            self.liveStatus = liveStatus
            self.quiet = quiet
        }
    }

    private struct State {
        var running: Set<Int> = []
        var counts: [TestResult.Status: Int] = [:]
        var events = 0
        var eventsAtLastTick = 0
        var lastTick: ContinuousClock.Instant?
        var rate = 0.0
        var statusShown = false
    }

    public let options: Options
    private let write: @Sendable (String) -> Void
    private let state = Mutex(State())
    private let total: Int

    /// - Parameters:
    ///   - total: the number of tests in the suite, for the status line.
    ///   - write: where text goes (standard output by default); called under a lock, in order.
    public init(options: Options, total: Int, write: @escaping @Sendable (String) -> Void = ConsoleReporter.standardOutput) {
        self.options = options
        self.total = total
        self.write = write
    }

    public static let standardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    public func testStarted(_ test: TestCase, index: Int) {
        state.withLock { s in
            s.running.insert(index)
            guard !options.quiet else { return redraw(&s) }
            emit(&s, "\(options.style.dim("START")) \(ConsoleStyle.printable(test.name)) \(options.style.dim("(\(ConsoleStyle.printable(test.file)))"))\n")
        }
    }

    public func eventReceived(index: Int) {
        state.withLock { $0.events += 1 }
    }

    public func testFinished(_ result: TestResult, index: Int) {
        state.withLock { s in
            s.running.remove(index)
            s.counts[result.status, default: 0] += 1
            guard !(options.quiet && result.passed) else { return redraw(&s) }
            emit(&s, render(result))
        }
    }

    /// A message of the run itself (banner, interrupt notice), kept clear of the status line.
    public func note(_ text: String) {
        state.withLock { s in emit(&s, text.hasSuffix("\n") ? text : text + "\n") }
    }

    /// Redraws the status line with the event rate since the last tick; the CLI calls it a few
    /// times a second on a terminal.
    public func tick(now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            if let last = s.lastTick {
                let elapsed = (now - last).seconds
                if elapsed > 0 { s.rate = Double(s.events - s.eventsAtLastTick) / elapsed }
            }
            s.lastTick = now
            s.eventsAtLastTick = s.events
            redraw(&s)
        }
    }

    /// Clears the status line for good (before the summary).
    public func finish() {
        state.withLock { s in
            clear(&s)
            s.running = []
        }
    }

    /// The end line of a test and what follows it. The reason is printed once: its first line on
    /// the end line, any further lines indented below it (blank lines and trailing white space
    /// dropped, so a reason ending in a newline never leaves a broken line).
    /// Every text from outside goes through `ConsoleStyle.printable` (control characters shown,
    /// credentials redacted) before any styling is added.
    func render(_ r: TestResult) -> String {
        let style = options.style
        var out = "\(style.status(r.status)) \(ConsoleStyle.printable(r.name)) \(style.dim(r.duration.short))"
        if !r.passed {
            let lines = ConsoleStyle.printable(r.outcome.message).split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            out += ":" + (lines.first.map { " " + $0 } ?? "")
            for line in lines.dropFirst() { out += "\n      " + line }
        }
        out += "\n"
        for line in Self.chains(r.jobs) + Self.failures(r.jobs) + r.runNotes { out += "    " + ConsoleStyle.printable(line) + "\n" }
        if !r.passed, r.status != .skipped {
            for line in r.log { out += "    " + style.dim(ConsoleStyle.printable(line)) + "\n" }
        }
        return out
    }

    /// Jobs grouped by their event chain and run count: `2 jobs (1 run each): submitted → … →
    /// succeeded`, most common first.
    static func chains(_ jobs: [JobTimeline], limit: Int = 4) -> [String] {
        struct Shape: Hashable {
            var chain: String
            var runs: Int
        }
        let ranked = mostCommon(jobs.map { Shape(chain: $0.chain, runs: $0.runs) })
        var lines = ranked.prefix(limit).map { shape, count in
            let runs = "\(shape.runs) run\(shape.runs == 1 ? "" : "s")\(count == 1 ? "" : " each")"
            return "\(count) job\(count == 1 ? "" : "s") (\(runs)): \(shape.chain.isEmpty ? "(no events)" : shape.chain)"
        }
        if ranked.count > limit { lines.append("… \(ranked.count - limit) more distinct sequence(s)") }
        return lines
    }

    /// The distinct failure reasons the jobs saw, most common first, every failure counted (also
    /// those elided from a long timeline):
    /// `failed(retryable) ×5 (user_error): Container retry failed with exit code 1`.
    static func failures(_ jobs: [JobTimeline], limit: Int = 3) -> [String] {
        struct Failure: Hashable {
            var label: String
            var detail: String
        }
        var counted: [(Failure, Int)] = []
        var other = 0
        for job in jobs {
            other += job.tally.otherFailures
            for f in job.tally.failures {
                let detail = (f.category.map { " (\($0))" } ?? "") + (f.reason.isEmpty ? "" : ": " + f.reason)
                counted.append((Failure(label: f.label, detail: detail), f.count))
            }
        }
        var lines = mostCommon(counted).prefix(limit).map { failure, count in "\(failure.label) ×\(count)\(failure.detail)" }
        if other > 0 { lines.append("… \(other) more failure(s) of other kinds") }
        return lines
    }

    /// The distinct values with their counts, most common first, ties in order of first appearance.
    static func mostCommon<T: Hashable>(_ values: [T]) -> [(T, Int)] {
        mostCommon(values.map { ($0, 1) })
    }

    /// The distinct values with their summed weights, most common first, ties in order of first appearance.
    static func mostCommon<T: Hashable>(_ values: [(T, Int)]) -> [(T, Int)] {
        var counts: [T: Int] = [:]
        var order: [T] = []
        for (value, weight) in values {
            if counts[value] == nil { order.append(value) }
            counts[value, default: 0] += weight
        }
        return order.enumerated().sorted { (counts[$0.element]!, -$0.offset) > (counts[$1.element]!, -$1.offset) }
            .map { ($0.element, counts[$0.element]!) }
    }

    private func statusLine(_ s: State) -> String {
        let failed = s.counts.filter { $0.key != .passed && $0.key != .skipped }.values.reduce(0, +)
        let done = s.counts.values.reduce(0, +)
        return "[\(done)/\(total)] running \(s.running.count) · passed \(s.counts[.passed] ?? 0) · failed \(failed) · "
            + String(format: "%.0f events/s", s.rate)
    }

    private func clear(_ s: inout State) {
        guard s.statusShown else { return }
        write("\r\u{1B}[2K")
        s.statusShown = false
    }

    private func redraw(_ s: inout State) {
        guard options.liveStatus, !s.running.isEmpty else { return clear(&s) }
        write("\r\u{1B}[2K" + options.style.dim(statusLine(s)))
        s.statusShown = true
    }

    private func emit(_ s: inout State, _ text: String) {
        clear(&s)
        write(text)
        redraw(&s)
    }
}
