import Foundation
import Runner

/// The closing table of `testsuite test`: test, result, elapsed, job set.
public struct RunSummary: Sendable {
    public var results: [TestResult]

    public init(results: [TestResult]) { self.results = results }

    public func render() -> String {
        let rows = results.map { r -> [String] in
            let result = switch r.outcome {
            case .passed: "PASS"
            case .failed: "FAIL"
            case .error: "ERROR"
            }
            return [r.name, result, Self.seconds(r.duration), r.jobSetId]
        }
        let header = ["Test", "Result", "Elapsed", "Job set"]
        let widths = (0..<header.count).map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingTrailingSpaces()
        }
        var out = ["", "======= SUMMARY =======", line(header)] + rows.map(line)
        let passed = results.filter(\.passed).count
        out.append("")
        out.append("\(passed) passed, \(results.count - passed) failed")
        for r in results where !r.passed {
            if case .failed(let m) = r.outcome { out.append("FAIL \(r.name): \(m)") }
            if case .error(let m) = r.outcome { out.append("ERROR \(r.name): \(m)") }
        }
        return out.joined(separator: "\n")
    }

    static func seconds(_ d: Duration) -> String {
        let c = d.components
        let s = Double(c.seconds) + Double(c.attoseconds) / 1e18
        return s < 10 ? String(format: "%.2fs", s) : String(format: "%.0fs", s)
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
