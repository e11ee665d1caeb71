import ArmadaClient
import Foundation
import Runner

/// Writes the reports a run was asked for — JUnit XML, the JSON and HTML reports, the Pushgateway push — and
/// says what went wrong with each, so one failing report never loses the others.
public struct RunReports: Sendable {
    public var junitPath: String?
    public var jsonPath: String?
    public var htmlPath: String?
    public var pushgateway: URL?
    public var pushgatewayJob: String
    /// Prometheus `environment` and `target` labels for tests that set none.
    public var defaultLabels: PrometheusReport.Labels
    /// Sent with the push: `armada-testsuite/<version>`.
    public var userAgent: String

    public init(junitPath: String? = nil, jsonPath: String? = nil, htmlPath: String? = nil, pushgateway: URL? = nil, pushgatewayJob: String = "armada-testsuite",
                defaultLabels: PrometheusReport.Labels = .init(), userAgent: String = "armada-testsuite") {
        self.junitPath = junitPath
        self.jsonPath = jsonPath
        self.htmlPath = htmlPath
        self.pushgateway = pushgateway
        self.pushgatewayJob = pushgatewayJob
        self.defaultLabels = defaultLabels
        self.userAgent = userAgent
    }

    /// Checks the report paths before anything runs (parent directories are created); one problem
    /// per path that cannot be written.
    public func prepare() -> [String] {
        [(junitPath, "JUnit"), (jsonPath, "JSON"), (htmlPath, "HTML")].compactMap { path, kind in path.flatMap { ReportPath.prepare($0, kind: kind) } }
    }

    /// What the reports describe besides the results.
    public struct Run: Sendable {
        public var name: String
        public var target: String
        /// `gRPC` or `REST`: which of Armada's APIs the run used.
        public var transport: String
        public var started: Date
        public var elapsed: Duration
        public var version: String
        /// `i/n` when the run is one shard of the tests (`--shard`), else empty.
        public var shard: String

        public init(name: String, target: String, transport: String = "", started: Date, elapsed: Duration, version: String, shard: String = "") {
            self.shard = shard
            self.name = name
            self.target = target
            self.transport = transport
            self.started = started
            self.elapsed = elapsed
            self.version = version
        }
    }

    /// Writes every requested report; returns one problem per report that could not be written.
    public func write(_ results: [TestResult], run: Run, transport: @autoclosure () -> any HTTPTransport = URLSessionTransport()) async -> [String] {
        var problems = writeFiles(results, run: run)
        if let pushgateway {
            do {
                try await PrometheusReport(results: results, defaults: defaultLabels)
                    .push(to: pushgateway, job: pushgatewayJob, userAgent: userAgent, transport: transport())
            } catch {
                problems.append("cannot push metrics to \(Secret.redactingURL(pushgateway)): \(Self.reason(error))")
            }
        }
        return problems
    }

    /// Writes the JUnit, JSON and HTML reports (no network: also usable on the way out of a forced exit).
    public func writeFiles(_ results: [TestResult], run: Run) -> [String] {
        var problems: [String] = []
        if let junitPath {
            do {
                try JUnitReport(suiteName: run.name, results: results, target: run.target, transport: run.transport, timestamp: run.started,
                                elapsed: run.elapsed, shard: run.shard).write(to: junitPath)
            } catch {
                problems.append("cannot write the JUnit report to \(junitPath): \(error.localizedDescription)")
            }
        }
        if let jsonPath {
            do {
                try JSONReport(results: results, target: run.target, transport: run.transport, started: run.started, elapsed: run.elapsed,
                               version: run.version, shard: run.shard).write(to: jsonPath)
            } catch {
                problems.append("cannot write the JSON report to \(jsonPath): \(error.localizedDescription)")
            }
        }
        if let htmlPath {
            do {
                try HTMLReport(results: results, run: run).write(to: htmlPath)
            } catch {
                problems.append("cannot write the HTML report to \(htmlPath): \(error.localizedDescription)")
            }
        }
        return problems
    }

    /// One readable line: the server's answer, or what went wrong on the way to it.
    static func reason(_ error: any Error) -> String {
        let text: String
        if let error = error as? ArmadaError {
            text = error.kind == .transport || error.kind == .timeout ? error.message : error.description
        } else if error is PrometheusReport.PushError {
            text = "\(error)"
        } else {
            text = ArmadaRESTClient.describe(transportError: error)
        }
        return OneLine.fold(text, limit: 300)
    }
}
