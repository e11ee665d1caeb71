import ArmadaAPI
import ArmadaClient
import Foundation
import Reporting
import Runner
import Synchronization
import Testing

@Suite struct BenchmarkReportTests {
    @Test func percentilesAreNearestRank() throws {
        let stats = try #require(BenchmarkReport.Stats(LatencyHistogram((1...100).shuffled().map { .seconds($0) })))
        #expect(stats.count == 100 && stats.min == 1 && stats.max == 100 && stats.mean == 50.5)
        #expect(abs(stats.p50 - 50) < 0.5 && abs(stats.p90 - 90) < 0.9 && abs(stats.p99 - 99) < 1)
        let one = try #require(BenchmarkReport.Stats(LatencyHistogram([.milliseconds(250)])))
        #expect(one.p50 == 0.25 && one.p99 == 0.25)
        #expect(BenchmarkReport.Stats(LatencyHistogram()) == nil)
    }

    @Test func transitionsComeFromTheTimelines() {
        let report = BenchmarkReport(results: Fixtures.results)
        #expect(report.transitions.map(\.0) == [.queuedToLeased, .leasedToRunning, .runningToTerminal])
        #expect(report.transitions[0].1.count == 1 && report.transitions[0].1.max == 1)
        #expect(report.transitions[1].1.count == 2 && report.transitions[1].1.max == 2 && report.transitions[1].1.min == 1)
        #expect(report.transitions[2].1.count == 2 && report.transitions[2].1.max == 4)
        #expect(report.render()[0] == "queued→leased     n=1  p50 1.00s  p90 1.00s  p99 1.00s  max 1.00s")
    }
}

@Suite struct JSONReportTests {
    @Test func holdsStatusesTimelinesAndBenchmarks() throws {
        let report = JSONReport(results: Fixtures.results, target: "http://localhost:8081", started: Fixtures.t0,
                                elapsed: .seconds(12), version: "1.2.3")
        let text = report.render()
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["target"] as? String == "http://localhost:8081" && root["version"] as? String == "1.2.3")
        #expect(root["startedAt"] as? String == "2026-11-30T00:53:20.000Z")
        let summary = try #require(root["summary"] as? [String: Int])
        #expect(summary == ["tests": 4, "passed": 1, "failed": 1, "timeout": 1, "error": 0, "interrupted": 0, "skipped": 1, "invalid": 0, "flaky": 0])
        #expect(root["schemaVersion"] as? Int == JSONReport.schemaVersion)
        let tests = try #require(root["tests"] as? [[String: Any]])
        #expect(tests.map { $0["status"] as? String } == ["passed", "failed", "timeout", "skipped"])
        #expect(tests[0]["message"] == nil)
        #expect(tests[1]["message"] as? String == "job job-2 ended with failed while succeeded was expected next")
        #expect(tests[0]["durationSeconds"] as? Double == 10.5 && tests[0]["policies"] as? [String] == ["p-abc"])
        let jobs = try #require(tests[0]["jobs"] as? [[String: Any]])
        let events = try #require(jobs[0]["events"] as? [[String: Any]])
        #expect(events.map { $0["type"] as? String } == ["submitted", "queued", "leased", "running", "failed", "leased", "running", "succeeded"])
        #expect(events[4]["retryable"] as? Bool == true && events[4]["reason"] as? String == "exit 1")
        #expect(events[0]["messageId"] as? String == "1:0:0:1" && events[2]["time"] as? String == "2026-11-30T00:53:21.000Z")
        let benchmark = try #require(tests[0]["benchmark"] as? [String: [String: Double]])
        #expect(benchmark["leasedToRunning"]?["count"] == 2 && benchmark["leasedToRunning"]?["p50Seconds"] == 1)
        let run = try #require(root["benchmark"] as? [String: [String: Double]])
        #expect(run["runningToTerminal"]?["maxSeconds"] == 4)
        // Members keep their order: people read this file too.
        #expect(text.hasPrefix("{\n  \"schemaVersion\": 1,\n  \"tool\": \"armada-testsuite\",\n  \"version\": \"1.2.3\","))
    }
}

@Suite struct PrometheusReportTests {
    @Test func rendersTypedClassificationInTheTextFormat() {
        let text = PrometheusReport(results: Fixtures.results).render()
        #expect(text.contains("# HELP armada_testsuite_test_failure Outputs 1 on test failure, not including timeout, and 0 otherwise.\n"
            + "# TYPE armada_testsuite_test_failure gauge\n"))
        let labels = #"{testcase="single-pod-retry",environment="ci",target="local",file="testcases/retries/single_pod_retry.yaml"}"#
        #expect(text.contains("armada_testsuite_test_start_time\(labels) 1796000000\n"))
        #expect(text.contains("armada_testsuite_test_finish_time\(labels) 1796000010.500\n"))
        #expect(text.contains("armada_testsuite_test_failure\(labels) 0\n"))
        #expect(text.contains(#"armada_testsuite_test_failure{testcase="bad",environment="",target="",file="testcases/basic/bad.yaml"} 1"#))
        #expect(text.contains(#"armada_testsuite_test_timeout{testcase="bad",environment="",target="",file="testcases/basic/bad.yaml"} 0"#))
        #expect(text.contains(#"armada_testsuite_test_timeout{testcase="slow",environment="",target="",file="testcases/basic/slow.yaml"} 1"#))
        #expect(text.contains(#"armada_testsuite_test_failure{testcase="slow",environment="",target="",file="testcases/basic/slow.yaml"} 0"#))
        #expect(!text.contains("never")) // skipped tests did not run
        #expect(!text.contains("counter"))
    }

    @Test func labelValuesAreEscaped() {
        let r = TestResult(name: "a\"b\\c\nd", file: "f.yaml", outcome: .passed)
        #expect(PrometheusReport(results: [r]).render().contains(#"testcase="a\"b\\c\nd""#))
    }

    /// Answers every request with `status` and remembers it.
    final class FakeTransport: HTTPTransport {
        let status: Int
        let seen = Mutex<[TransportRequest]>([])
        init(status: Int) { self.status = status }
        func stream(_ request: TransportRequest) -> AsyncThrowingStream<HTTPStreamPart, any Error> {
            seen.withLock { $0.append(request) }
            let status = self.status
            return AsyncThrowingStream { c in
                c.yield(.head(status: status, headers: [:]))
                c.yield(.body(Array("push refused".utf8)))
                c.finish()
            }
        }
    }

    @Test func pushesWithPUTToTheJobGroup() async throws {
        let transport = FakeTransport(status: 200)
        try await PrometheusReport(results: Fixtures.results).push(to: URL(string: "http://gw:9091")!, job: "nightly e2e",
                                                                   transport: transport)
        let request = try #require(transport.seen.withLock { $0.first })
        #expect(request.method == "PUT")
        #expect(request.url.absoluteString == "http://gw:9091/metrics/job/nightly%20e2e")
        #expect(request.headers["Content-Type"] == "text/plain; version=0.0.4")
        #expect(String(decoding: request.body ?? [], as: UTF8.self) == PrometheusReport(results: Fixtures.results).render())
    }

    @Test func aRefusedPushIsAReportProblemWithoutCredentials() async throws {
        let problems = await RunReports(pushgateway: URL(string: "http://user:hunter2@gw:9091")!)
            .write(Fixtures.results, run: .init(name: "n", target: "t", started: Fixtures.t0, elapsed: .seconds(1), version: "v"),
                   transport: FakeTransport(status: 500))
        #expect(problems.count == 1)
        #expect(problems[0].contains("answered 500: push refused"))
        #expect(!problems[0].contains("hunter2"))
    }
}
