import Foundation
import Runner

/// JUnit XML for CI, written by hand (XMLCoder emits control characters unescaped): numeric times in
/// seconds, an XML declaration, timestamp and hostname, `<failure>`/`<error>` with type, message and
/// body, and each test's log as system-out (testcase-format §7.19's fixes).
public struct JUnitReport: Sendable {
    public var suiteName: String
    public var results: [TestResult]
    public var timestamp: Date
    public var hostname: String

    public init(suiteName: String, results: [TestResult], timestamp: Date = Date(),
                hostname: String = ProcessInfo.processInfo.hostName) {
        self.suiteName = suiteName
        self.results = results
        self.timestamp = timestamp
        self.hostname = hostname
    }

    public func render() -> String {
        let failures = results.filter { if case .failed = $0.outcome { true } else { false } }.count
        let errors = results.filter { if case .error = $0.outcome { true } else { false } }.count
        let total = results.map { Self.seconds($0.duration) }.reduce(0, +)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += "<testsuites name=\(Self.attr(suiteName)) tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(Self.format(total))\">\n"
        out += "  <testsuite name=\(Self.attr(suiteName)) tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"0\" "
            + "time=\"\(Self.format(total))\" timestamp=\"\(iso.string(from: timestamp))\" hostname=\(Self.attr(hostname))>\n"
        for r in results {
            out += "    <testcase name=\(Self.attr(r.name)) classname=\(Self.attr(r.file)) time=\"\(Self.format(Self.seconds(r.duration)))\">\n"
            switch r.outcome {
            case .passed: break
            case .failed(let message):
                out += "      <failure type=\"TestFailure\" message=\(Self.attr(message))>\(Self.text(message))</failure>\n"
            case .error(let message):
                out += "      <error type=\"TestError\" message=\(Self.attr(message))>\(Self.text(message))</error>\n"
            }
            out += "      <system-out>\(Self.cdata(r.log.joined(separator: "\n")))</system-out>\n"
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Writes the report atomically (a reader never sees half a file).
    public func write(to path: String) throws {
        try render().write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    static func format(_ s: Double) -> String { String(format: "%.3f", s) }

    /// Characters XML 1.0 cannot carry at all (most C0 controls) become U+FFFD.
    static func legal(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            (u.value < 0x20 && u != "\n" && u != "\r" && u != "\t") || u.value == 0xFFFE || u.value == 0xFFFF ? "\u{FFFD}" : u
        }))
    }

    static func text(_ s: String) -> String {
        legal(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func attr(_ s: String) -> String {
        "\"" + text(s).replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "\n", with: "&#10;")
            .replacingOccurrences(of: "\r", with: "&#13;").replacingOccurrences(of: "\t", with: "&#9;") + "\""
    }

    /// CDATA, with `]]>` split across sections.
    static func cdata(_ s: String) -> String {
        "<![CDATA[" + legal(s).replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}
