import ArmadaAPI
import Foundation
import Runner

/// JUnit XML for CI, written by hand (XMLCoder emits control characters unescaped), in the shape
/// the Jenkins JUnit schema, GitLab and GitHub's report parsers accept: `testsuites` > one
/// `testsuite` per test folder (`retries`) > `testcase` with numeric times, then `skipped`,
/// `error` or `failure` (typed from the outcome) and `system-out`. Per-test properties (file, queue,
/// job set, policies) sit on the test's own suite as `<test>.<key>`, because the Jenkins schema
/// allows no `properties` inside a `testcase`; the run-wide `target` appears once, on the first
/// suite (the schema allows none on `testsuites`), so readers that merge every suite's properties
/// into one map (xunitparser) never see a name twice. A suite's `time` is its wall-clock span.
/// ANSI and control characters never reach the file.
public struct JUnitReport: Sendable {
    public var suiteName: String
    public var results: [TestResult]
    /// The Armada the run tested (a URL, or the embedded simulator); secrets never appear in it.
    public var target: String
    /// `gRPC` or `REST`: which of Armada's APIs the run used (no property when empty).
    public var transport: String
    public var timestamp: Date
    public var hostname: String
    /// Wall time of the run; the span from the first test's start to the last one's end when nil.
    public var elapsed: Duration?
    /// `i/n` for one shard of the tests (a `shard` property beside `target`), else empty.
    public var shard: String

    public init(suiteName: String, results: [TestResult], target: String = "", transport: String = "", timestamp: Date = Date(),
                hostname: String = ProcessInfo.processInfo.hostName, elapsed: Duration? = nil, shard: String = "") {
        self.shard = shard
        self.suiteName = suiteName
        self.results = results
        self.target = target
        self.transport = transport
        self.timestamp = timestamp
        self.hostname = hostname
        self.elapsed = elapsed
    }

    struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0

        init(_ results: some Sequence<TestResult>) {
            for r in results {
                tests += 1
                switch r.status {
                case .passed, .flaky: break // a flaky test passed (Surefire counts it so)
                case .failed: failures += 1
                case .timedOut, .error, .interrupted, .invalid: errors += 1
                case .skipped: skipped += 1
                }
            }
        }

        var attributes: String {
            "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
        }
    }

    /// The report, credentials redacted (`Redaction`).
    public func render() -> String { Redaction.apply(unredacted()) }

    func unredacted() -> String {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        let all = Counts(results)
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        // The Jenkins schema allows no `skipped` on testsuites (it does on each testsuite).
        out += "<testsuites name=\(Markup.attr(suiteName)) tests=\"\(all.tests)\" failures=\"\(all.failures)\" errors=\"\(all.errors)\" time=\"\(Self.format(elapsed?.seconds ?? Self.span(of: results)))\">\n"
        for (id, folder) in folders().enumerated() {
            let members = results.filter { Self.folder(of: $0) == folder }
            let counts = Counts(members)
            out += "  <testsuite name=\(Markup.attr(folder)) \(counts.attributes) time=\"\(Self.format(Self.span(of: members)))\" "
                + "timestamp=\"\(iso.string(from: members.map(\.started).min() ?? timestamp))\" hostname=\(Markup.attr(hostname)) id=\"\(id)\">\n"
            out += "    <properties>\n"
            if id == 0 {
                out += property("target", target)
                if !transport.isEmpty { out += property("transport", transport) }
                if !shard.isEmpty { out += property("shard", shard) }
            }
            for r in members {
                out += property(r.name + ".file", r.file)
                if !r.queue.isEmpty { out += property(r.name + ".queue", r.queue) }
                if !r.jobSetId.isEmpty { out += property(r.name + ".jobSet", r.jobSetId) }
                if !r.policies.isEmpty { out += property(r.name + ".policies", r.policies.joined(separator: ",")) }
            }
            out += "    </properties>\n"
            for r in members { out += testcase(r) }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// Folders in the order their first test appears.
    func folders() -> [String] {
        var seen: Set<String> = []
        return results.map(Self.folder).filter { seen.insert($0).inserted }
    }

    /// Seconds from the first start to the last finish: tests of a suite run in parallel, so the
    /// sum of their times would overstate it.
    static func span(of results: [TestResult]) -> Double {
        guard let start = results.map(\.started).min(), let end = results.map(\.finished).max() else { return 0 }
        return max(0, end.timeIntervalSince(start))
    }

    static func folder(of result: TestResult) -> String { result.folder.isEmpty ? "testcases" : result.folder }

    private func property(_ name: String, _ value: String) -> String {
        "      <property name=\(Markup.attr(name)) value=\(Markup.attr(value))/>\n"
    }

    private func testcase(_ r: TestResult) -> String {
        var out = "    <testcase name=\(Markup.attr(r.name)) classname=\(Markup.attr(Self.folder(of: r))) "
            + "time=\"\(Self.format(r.duration.seconds))\">\n"
        let message = r.outcome.message
        switch r.status {
        case .passed: break
        case .flaky: break // its earlier attempts follow as flakyFailure / flakyError
        case .skipped: out += "      <skipped message=\(Markup.attr(message))/>\n"
        case .failed: out += element("failure", type: "ExpectationFailure", message)
        case .timedOut: out += element("error", type: "Timeout", message)
        case .error: out += element("error", type: "InfrastructureError", message)
        case .interrupted: out += element("error", type: "Interrupted", message)
        case .invalid: out += element("error", type: "InvalidTestCase", message)
        }
        // Surefire's rerun elements: a flaky test's failed attempts, or the earlier attempts of one
        // that failed every time.
        for attempt in r.earlierAttempts {
            let failure = attempt.status == .failed
            let name = r.passed ? (failure ? "flakyFailure" : "flakyError") : (failure ? "rerunFailure" : "rerunError")
            out += element(name, type: failure ? "ExpectationFailure" : attempt.status == .timedOut ? "Timeout" : "InfrastructureError",
                           "job set \(attempt.jobSetId): \(attempt.message)")
        }
        let header = ["file: \(r.file)", "queue: \(r.queue)", "job set: \(r.jobSetId)"]
            + (r.policies.isEmpty ? [] : ["retry policies: " + r.policies.joined(separator: ", ")])
            + r.warnings.map { $0.replacingOccurrences(of: "\n    hint:", with: " hint:") }
        let jobs = r.jobs.prefix(100).map { "job \($0.jobId) (\($0.runs) run\($0.runs == 1 ? "" : "s")): \($0.chain)" }
            + (r.jobs.count > 100 ? ["… and \(r.jobs.count - 100) more job(s)"] : [])
        out += "      <system-out>\(Markup.cdata((header + r.log + jobs + r.runNotes).joined(separator: "\n")))</system-out>\n"
        out += "    </testcase>\n"
        return out
    }

    private func element(_ name: String, type: String, _ message: String) -> String {
        // The message attribute is the whole verdict on one line (parsers show it as a title),
        // shortened in the middle when long; the body has the full text.
        "      <\(name) type=\"\(type)\" message=\(Markup.attr(OneLine.fold(Markup.legal(message))))>\(Markup.text(message))</\(name)>\n"
    }

    /// Writes the report atomically (a reader never sees half a file).
    public func write(to path: String) throws {
        try render().write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func format(_ s: Double) -> String { String(format: "%.3f", s) }
}
