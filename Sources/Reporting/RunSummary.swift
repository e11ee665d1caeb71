import Foundation
import Runner

/// The closing table of `testsuite test`: test, result, elapsed, job set, in discovery order, then
/// the counts and every reason a test did not pass.
public struct RunSummary: Sendable {
    public var results: [TestResult]
    /// Wall time of the whole run.
    public var elapsed: Duration?
    public var style: ConsoleStyle

    public init(results: [TestResult], elapsed: Duration? = nil, style: ConsoleStyle = ConsoleStyle(color: false)) {
        self.results = results
        self.elapsed = elapsed
        self.style = style
    }

    public func render() -> String {
        let rows = results.map { [ConsoleStyle.printable($0.name), $0.status.label, $0.duration.short, ConsoleStyle.printable($0.jobSetId)] }
        let header = ["Test", "Result", "Elapsed", "Job set"]
        let widths = (0..<header.count).map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String], status: TestResult.Status? = nil) -> String {
            var padded = zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            if let status { padded[1] = style.status(status) + String(repeating: " ", count: widths[1] - status.label.count) }
            return padded.joined(separator: "  ").trimmingTrailingSpaces()
        }
        var out = ["", style.bold("======= SUMMARY ======="), style.bold(line(header))]
        out += zip(rows, results).map { line($0, status: $1.status) }
        out.append("")
        out.append(counts())
        for r in results where !r.passed && r.status != .skipped {
            out.append("\(style.status(r.status)) \(ConsoleStyle.printable(r.name)): \(ConsoleStyle.printable(OneLine.fold(r.outcome.message, limit: 400)))")
        }
        for r in results where r.status == .flaky {
            let earlier = r.earlierAttempts.enumerated().map { i, a in
                "attempt \(i + 1) \(a.status.label): \(OneLine.fold(a.message, limit: 200))"
            }
            out.append("\(style.status(.flaky)) \(ConsoleStyle.printable(r.name)): passed on attempt \(r.earlierAttempts.count + 1); "
                + ConsoleStyle.printable(earlier.joined(separator: "; ")))
        }
        for r in results where !r.kept.isEmpty {
            out.append("kept (--keep-on-failure) for \(ConsoleStyle.printable(r.name)): \(ConsoleStyle.printable(r.kept.joined(separator: ", ")))")
        }
        return out.joined(separator: "\n")
    }

    /// `Ran 15 test(s) in 12s: 14 passed, 1 failed` plus any timeouts, errors, interrupted, skipped.
    public func counts() -> String {
        var n: [TestResult.Status: Int] = [:]
        for r in results { n[r.status, default: 0] += 1 }
        var parts = ["\(n[.passed] ?? 0) passed", "\(n[.failed] ?? 0) failed"]
        let extra: [(TestResult.Status, String)] = [(.flaky, "flaky"), (.timedOut, "timed out"), (.error, "error(s)"), (.interrupted, "interrupted"), (.invalid, "invalid"),
                                                    (.skipped, "skipped")]
        for (status, word) in extra where (n[status] ?? 0) > 0 { parts.append("\(n[status]!) \(word)") }
        let ran = elapsed.map { "Ran \(results.count) test(s) in \($0.short): " } ?? ""
        return ran + parts.joined(separator: ", ")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
