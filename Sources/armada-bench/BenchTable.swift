import Foundation

/// The benchmark figures, each with its target when it has one.
struct BenchTable: Sendable {
    struct Row: Sendable {
        var benchmark: String
        var figure: String
        var value: String
        var target: String
        /// nil: informational.
        var met: Bool?
    }

    var rows: [Row] = []
    var notes: [String] = []

    mutating func add(_ benchmark: String, _ figure: String, _ value: String, target: String = "", met: Bool? = nil) {
        rows.append(Row(benchmark: benchmark, figure: figure, value: value, target: target, met: met))
        FileHandle.standardError.write(Data("… \(benchmark): \(figure): \(value)\n".utf8)) // progress while it runs
    }

    var allTargetsMet: Bool { rows.allSatisfy { $0.met != false } }

    /// Rows and notes as tab-separated lines, for a benchmark run in a child process.
    var lines: String {
        let rowLines = rows.map { ["row", $0.benchmark, $0.figure, $0.value, $0.target, $0.met.map { $0 ? "ok" : "MISSED" } ?? ""] }
        return (rowLines + notes.map { ["note", $0] }).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
    }

    /// Adds what `lines` wrote (another process's rows).
    mutating func merge(lines text: String) {
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if cells.first == "note", cells.count == 2 { notes.append(cells[1]) }
            guard cells.first == "row", cells.count == 6 else { continue }
            rows.append(Row(benchmark: cells[1], figure: cells[2], value: cells[3], target: cells[4],
                            met: cells[5] == "ok" ? true : cells[5] == "MISSED" ? false : nil))
        }
    }

    func render() -> String {
        let header = ["benchmark", "figure", "value", "target", ""]
        let cells = rows.map { [$0.benchmark, $0.figure, $0.value, $0.target, $0.met.map { $0 ? "ok" : "MISSED" } ?? ""] }
        let widths = (0..<header.count).map { i in ([header[i]] + cells.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ c: [String]) -> String {
            var s = zip(c, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s
        }
        var out = [line(header), line(widths.map { String(repeating: "-", count: $0) })] + cells.map(line)
        out += notes.map { "note: " + $0 }
        out.append(allTargetsMet ? "every target met" : "some targets MISSED")
        return out.joined(separator: "\n")
    }
}

extension Double {
    /// `1 234 567` style grouping for rates.
    var grouped: String {
        // A rate of a run too short to time (infinite) or of nothing (NaN) shows as 0, never traps.
        let n = isFinite && abs(self) < 9e18 ? Int(self.rounded()) : 0
        var s = String(abs(n))
        var i = s.count - 3
        while i > 0 {
            s.insert(" ", at: s.index(s.startIndex, offsetBy: i))
            i -= 3
        }
        return (n < 0 ? "-" : "") + s
    }

    var megabytes: String { String(format: "%.0f MB", self / 1_048_576) }
}
