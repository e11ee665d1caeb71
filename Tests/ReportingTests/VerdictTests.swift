import ArmadaAPI
import ArmadaClient
import Foundation
import Reporting
import Runner
import Synchronization
import Testing
import TestSpec

/// The reason a test did not pass survives whole in every place it is shown, exactly once per place.
@Suite struct VerdictTests {
    static let reason = "job j1: failure reason \"Retry policy: global max retries exceeded (5/5)\n\nFinal run error:\n"
        + "Container fail failed with exit code 1 because Error: \n\nfail exited with code 1: \" does not match /nope/\n"

    static func chain(retries: Int) -> JobTimeline {
        var recorder = EventRecorder(jobIds: ["j1"])
        var id = 0
        func add(_ type: EventType, retryable: Bool = false) {
            var event = EventMessage(type, jobId: "j1")
            event.retryable = retryable
            if type == .failed { event.reason = "exit 1\n"; event.failureCategory = "user_error" }
            recorder.record(EventStreamMessage(id: "\(id)", message: event), received: Date())
            id += 1
        }
        add(.submitted)
        for run in 0...retries {
            add(.leased)
            add(.running)
            add(.failed, retryable: run < retries)
        }
        return recorder.jobs[0]
    }

    static let result = TestResult(name: "cap", file: "testcases/retries/cap.yaml", folder: "retries", outcome: .failed(reason),
                                   duration: .seconds(1), log: ["created retry policy p", "test case cap ended: failed"],
                                   jobs: [chain(retries: 12)])

    @Test func theConsolePrintsTheReasonOncePerPlaceWithoutBrokenLines() {
        let capture = ConsoleTests.Capture()
        let console = ConsoleReporter(options: .init(), total: 1, write: capture.write)
        console.testFinished(Self.result, index: 0)
        let block = capture.value
        let summary = RunSummary(results: [Self.result]).render()
        for text in [block, summary] {
            #expect(text.components(separatedBy: "does not match /nope/").count == 2, "\(text)")
        }
        #expect(block.hasPrefix("FAIL cap 1.00s: job j1: failure reason \"Retry policy: global max retries exceeded (5/5)\n"
            + "      Final run error:\n      Container fail failed with exit code 1 because Error:\n"
            + "      fail exited with code 1: \" does not match /nope/\n    1 job (13 runs): "))
        #expect(!block.contains("\n\n") && !block.contains(" \n"))
        #expect(summary.hasSuffix("FAIL cap: job j1: failure reason \"Retry policy: global max retries exceeded (5/5) Final run error: "
            + "Container fail failed with exit code 1 because Error: fail exited with code 1: \" does not match /nope/"))
    }

    @Test func retryChainSummariesCountEveryEvent() {
        let capture = ConsoleTests.Capture()
        ConsoleReporter(options: .init(), total: 1, write: capture.write).testFinished(Self.result, index: 0)
        // 12 retries: 40 events, more than the timeline keeps; the count is still every failure.
        #expect(Self.result.jobs[0].elided > 0)
        #expect(capture.value.contains("    failed(retryable) ×12 (user_error): exit 1\n    failed ×1 (user_error): exit 1\n"))
        let json = JSONReport(results: [Self.result], target: "t", started: Date(), elapsed: .seconds(1), version: "v").render()
        #expect(json.contains("\"runs\": 13") && json.contains("\"failed(retryable)\": 12") && json.contains("\"elidedEvents\": 16"))
    }

    @Test func junitKeepsTheWholeVerdictOnOneLineAndTheFullTextInTheBody() throws {
        let long = "job j1: " + String(repeating: "detail ", count: 400) + "\nwhile succeeded was expected next"
        var result = Self.result
        result.outcome = .failed(long)
        let root = try XMLElement.parse(JUnitReport(suiteName: "s", results: [result]).render())
        let failure = try #require(root.first("testsuite")?.first("testcase")?.first("failure"))
        let message = try #require(failure["message"])
        #expect(message.count == 1000 && !message.contains("\n"))
        #expect(message.hasPrefix("job j1: detail") && message.hasSuffix("detail while succeeded was expected next"))
        #expect(failure.text == long)
        let short = try XMLElement.parse(JUnitReport(suiteName: "s", results: [Self.result]).render())
        #expect(short.first("testsuite")?.first("testcase")?.first("failure")?["message"]
            == OneLine.fold(Self.reason) && OneLine.fold(Self.reason).hasSuffix("does not match /nope/"))
    }

    @Test func prometheusLabelsDefaultToTheRunsContextAndEndpoint() async throws {
        var own = Self.result
        own.environment = "staging"
        own.target = "cluster-a"
        let text = PrometheusReport(results: [Self.result, own], defaults: .init(environment: "local", target: "http://localhost:8081")).render()
        #expect(text.contains(#"armada_testsuite_test_failure{testcase="cap",environment="local",target="http://localhost:8081","#))
        #expect(text.contains(#"armada_testsuite_test_failure{testcase="cap",environment="staging",target="cluster-a","#))
        let transport = PrometheusReportTests.FakeTransport(status: 200)
        let problems = await RunReports(pushgateway: URL(string: "http://gw:9091")!, userAgent: "armada-testsuite/9.9")
            .write([Self.result], run: .init(name: "n", target: "t", started: Date(), elapsed: .seconds(1), version: "9.9"),
                   transport: transport)
        #expect(problems.isEmpty)
        #expect(transport.seen.withLock { $0.first?.headers["User-Agent"] } == "armada-testsuite/9.9")
    }

    @Test func anUnreachablePushgatewayIsOneReadableLine() async throws {
        // A port nothing listens on: the real transport's error, in words.
        let problems = await RunReports(pushgateway: URL(string: "http://127.0.0.1:9")!)
            .write([Self.result], run: .init(name: "n", target: "t", started: Date(), elapsed: .seconds(1), version: "v"))
        #expect(problems == ["cannot push metrics to http://127.0.0.1:9: connection refused"])
    }

    @Test func reportPathsAreCheckedAndTheirDirectoriesMade() throws {
        let base = NSTemporaryDirectory() + "paths-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        #expect(ReportPath.prepare(base + "/build/deep/junit.xml", kind: "JUnit") == nil)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: base + "/build/deep", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: base + "/build/deep").isEmpty) // the probe is gone
        try "x".write(toFile: base + "/file", atomically: true, encoding: .utf8)
        #expect(ReportPath.prepare(base + "/file/junit.xml", kind: "JUnit")
            == "cannot write the JUnit report to \(base)/file/junit.xml: \(base)/file is a file, not a directory")
        #expect(ReportPath.prepare(base + "/build", kind: "JSON")?.contains("it is a directory") == true)
        #expect(RunReports(junitPath: "/proc/junit.xml", jsonPath: base + "/ok.json").prepare().count == 1)
    }
}
