import ArmadaAPI
import ArmadaClient
import Foundation
import Runner

/// The run's metrics in Prometheus' text exposition format, for a Pushgateway: per test
/// `armada_testsuite_test_start_time` and `_finish_time` (Unix seconds), `_test_failure` (1 when its
/// expectations were not met) and `_test_timeout` (1 when it timed out), classified from the typed
/// outcome, plus `_test_error` (infrastructure errors and interrupts) and `_test_duration_seconds`.
/// Labels: testcase, environment and target (from the test case, else the run's context and
/// endpoint) and file, which keeps two tests of the same name apart (upstream's duplicate series
/// made the push, and with it the run, fail).
public struct PrometheusReport: Sendable {
    /// Label values for tests whose test case sets none: the resolved endpoint and the context.
    public struct Labels: Sendable, Hashable {
        public var environment: String
        public var target: String

        public init(environment: String = "", target: String = "") {
            self.environment = environment
            self.target = target
        }
    }

    public var results: [TestResult]
    public var defaults: Labels

    public init(results: [TestResult], defaults: Labels = Labels()) {
        self.results = results
        self.defaults = defaults
    }

    static let metrics: [(name: String, help: String, value: @Sendable (TestResult) -> Double)] = [
        ("armada_testsuite_test_start_time", "The time at which a test started.", { $0.started.timeIntervalSince1970 }),
        ("armada_testsuite_test_finish_time", "The time at which a test finished.", { $0.finished.timeIntervalSince1970 }),
        ("armada_testsuite_test_failure", "Outputs 1 on test failure, not including timeout, and 0 otherwise.",
         { $0.status == .failed ? 1 : 0 }),
        ("armada_testsuite_test_timeout", "Outputs 1 on test timeout and 0 otherwise.", { $0.status == .timedOut ? 1 : 0 }),
        ("armada_testsuite_test_error",
         "Outputs 1 when a test could not run (infrastructure error, interrupt, or a test case that checks nothing) and 0 otherwise.",
         { [.error, .interrupted, .invalid].contains($0.status) ? 1 : 0 }),
        ("armada_testsuite_test_flaky", "Outputs 1 when a test passed only on a retry (--retries) and 0 otherwise.",
         { $0.status == .flaky ? 1 : 0 }),
        ("armada_testsuite_test_duration_seconds", "How long a test ran, cleanup included.", { $0.duration.seconds }),
    ]

    /// The exposition text; tests that never started (skipped) have no samples.
    public func render() -> String { Redaction.apply(unredacted()) }

    func unredacted() -> String {
        let ran = results.filter { $0.status != .skipped }
        var out = ""
        for metric in Self.metrics {
            out += "# HELP \(metric.name) \(metric.help)\n# TYPE \(metric.name) gauge\n"
            for r in ran {
                let labels = [("testcase", r.name), ("environment", r.environment.isEmpty ? defaults.environment : r.environment),
                              ("target", r.target.isEmpty ? defaults.target : r.target), ("file", r.file)]
                    .map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",")
                out += "\(metric.name){\(labels)} \(Self.number(metric.value(r)))\n"
            }
        }
        return out
    }

    /// PUTs the metrics to `<gateway>/metrics/job/<job>`, replacing that group, within 30 s.
    public func push(to gateway: URL, job: String, userAgent: String = "armada-testsuite", transport: any HTTPTransport) async throws {
        let url = try Self.groupURL(gateway, job: job)
        let request = TransportRequest(method: "PUT", url: url, headers: ["Content-Type": "text/plain; version=0.0.4", "User-Agent": userAgent],
                                       body: Array(render().utf8), timeout: .seconds(30))
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else {
            let body = String(decoding: response.body.prefix(300), as: UTF8.self)
            throw PushError(url: Secret.redactingURL(url), status: response.status, body: body)
        }
    }

    /// `<gateway>/metrics/job/<job>`; a job name with a `/` goes base64url-encoded (`job@base64/…`).
    static func groupURL(_ gateway: URL, job: String) throws -> URL {
        var base = gateway.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let segment: String
        if job.contains("/") {
            let encoded = Data(job.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_")
            segment = "job@base64/" + encoded
        } else {
            segment = "job/" + (job.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? job)
        }
        guard let url = URL(string: base + "/metrics/" + segment) else {
            throw PushError(url: Secret.redactingURL(gateway), status: 0, body: "cannot build the push URL for job \(job)")
        }
        return url
    }

    public struct PushError: Error, CustomStringConvertible {
        public var url: String
        public var status: Int
        public var body: String
        public var description: String {
            status == 0 ? body : "the Pushgateway at \(url) answered \(status): \(OneLine.fold(body, limit: 200))"
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.3f", v)
    }
}
