import ArmadaClient
import Foundation
import Runner

/// Writes the reports a run was asked for — JUnit XML, the JSON report, the Pushgateway push — and
/// says what went wrong with each, so one failing report never loses the others.
public struct RunReports: Sendable {
    public var junitPath: String?
    public var jsonPath: String?
    public var pushgateway: URL?
    public var pushgatewayJob: String

    public init(junitPath: String? = nil, jsonPath: String? = nil, pushgateway: URL? = nil, pushgatewayJob: String = "armada-testsuite") {
        self.junitPath = junitPath
        self.jsonPath = jsonPath
        self.pushgateway = pushgateway
        self.pushgatewayJob = pushgatewayJob
    }

    /// What the reports describe besides the results.
    public struct Run: Sendable {
        public var name: String
        public var target: String
        public var started: Date
        public var elapsed: Duration
        public var version: String

        public init(name: String, target: String, started: Date, elapsed: Duration, version: String) {
            self.name = name
            self.target = target
            self.started = started
            self.elapsed = elapsed
            self.version = version
        }
    }

    /// Writes every requested report; returns one problem per report that could not be written.
    public func write(_ results: [TestResult], run: Run, transport: @autoclosure () -> any HTTPTransport = URLSessionTransport()) async -> [String] {
        var problems: [String] = []
        if let junitPath {
            do {
                try JUnitReport(suiteName: run.name, results: results, target: run.target, timestamp: run.started,
                                elapsed: run.elapsed).write(to: junitPath)
            } catch {
                problems.append("cannot write the JUnit report to \(junitPath): \(error.localizedDescription)")
            }
        }
        if let jsonPath {
            do {
                try JSONReport(results: results, target: run.target, started: run.started, elapsed: run.elapsed,
                               version: run.version).write(to: jsonPath)
            } catch {
                problems.append("cannot write the JSON report to \(jsonPath): \(error.localizedDescription)")
            }
        }
        if let pushgateway {
            do {
                try await PrometheusReport(results: results).push(to: pushgateway, job: pushgatewayJob, transport: transport())
            } catch {
                problems.append("cannot push metrics to \(Secret.redactingURL(pushgateway)): \(error)")
            }
        }
        return problems
    }
}
