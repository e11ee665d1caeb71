import Foundation
import Reporting
import Runner
import TestFixtures
import Testing
import TestSpec

/// The reports as the tools CI pipelines use read them: xunitparser and junitparser (Python, as
/// Jenkins plugins, GitLab and many dashboards' importers do), and the JSON report against its
/// published JSON Schema. `make test` and `.ci/run` install the three Python packages.
@Suite struct ReportReadersTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func python(_ script: String, _ arguments: [String]) async throws -> String {
        try await ProcessOutput.python(script, arguments)
    }

    static func write(_ text: String, _ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "readers-\(UUID().uuidString)-\(name)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Three folders, every kind of outcome, and the same job set name in two folders.
    static let results: [TestResult] = {
        let t0 = Date(timeIntervalSince1970: 1_796_000_000)
        func r(_ name: String, _ folder: String, _ outcome: TestResult.Outcome, at offset: Double) -> TestResult {
            TestResult(name: name, file: "testcases/\(folder)/\(name).yaml", folder: folder, jobSetId: "\(name)-x", queue: "q",
                       outcome: outcome, started: t0.addingTimeInterval(offset), duration: .seconds(2))
        }
        return [
            r("a", "basic", .passed, at: 0), r("b", "basic", .failed("expected succeeded\ngot failed\n"), at: 1),
            r("c", "retries", .timedOut("timed out"), at: 0), r("d", "retries", .passed, at: 0.5),
            r("e", "queue", .error("queue missing"), at: 0), r("f", "queue", .skipped("not run"), at: 0),
            r("g", "queue", .invalid(TestCase.checksNothingMessage), at: 0),
        ]
    }()

    static let junit = JUnitReport(suiteName: "basic,retries,queue", results: results, target: "http://localhost:8081",
                                   timestamp: Date(timeIntervalSince1970: 1_796_000_000), hostname: "ci", elapsed: .seconds(3)).render()

    @Test func xunitparserReadsAMultiFolderReportWithCorrectTotals() async throws {
        let path = try Self.write(Self.junit, "junit.xml")
        // xunitparser asserts the root's totals against the test cases it read, and that no
        // property name appears twice in the whole file.
        let out = try await Self.python("""
            import sys, xunitparser
            ts, tr = xunitparser.parse(open(sys.argv[1]))
            print(len(list(ts)), len(tr.failures), len(tr.errors), len(tr.skipped), tr.wasSuccessful(), ts.properties['target'])
            """, [path])
        #expect(out == "7 1 3 1 False http://localhost:8081\n")
    }

    @Test func junitparserReadsEverySuiteWithItsOwnTotals() async throws {
        let path = try Self.write(Self.junit, "junit.xml")
        let out = try await Self.python("""
            import sys
            from junitparser import JUnitXml
            xml = JUnitXml.fromfile(sys.argv[1])
            for suite in xml:
                print(suite.name, suite.tests, suite.failures, suite.errors, suite.skipped, suite.time)
            xml.update_statistics()
            print('all', xml.tests, xml.failures, xml.errors, xml.skipped)
            """, [path])
        #expect(out == """
            basic 2 1 0 0 3.0
            retries 2 0 1 0 2.5
            queue 3 0 2 1 2.0
            all 7 1 3 1

            """)
    }

    @Test func theJSONReportFollowsItsPublishedSchema() async throws {
        var results = Self.results
        var expired = JobHistories.timeline(JobHistories.events(jobId: "pods", runs: [.retried(exit: 137), .succeeded]))
        expired.events.append(TimelineEntry(type: "failed", time: JobHistories.t0, received: JobHistories.t0, messageId: "x",
                                            detail: .init(retryable: false, reason: "Lease expired", category: "internal", subcategory: "lease-expired")))
        results[0].jobs = [Fixtures.retried, expired]
        results[0].warnings = ["a.yaml:3:1: warning: unknown key \"x\" (ignored: --lenient)"]
        var failedAttempt = results[0]
        failedAttempt.outcome = .failed("job j ended with failed")
        results[0].earlierAttempts = [TestResult.Attempt(failedAttempt)] // flaky
        results[0].kept = ["queue q-abc"]
        let json = JSONReport(results: results, target: "http://localhost:8081", started: Date(timeIntervalSince1970: 1_796_000_000),
                              elapsed: .seconds(3), version: "0.1.0").render()
        let path = try Self.write(json, "report.json")
        let schema = Self.root.appendingPathComponent("docs/json-report.schema.json").path
        let out = try await Self.python("""
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(json.load(open(sys.argv[1])), schema, format_checker=jsonschema.FormatChecker())
            print('valid')
            """, [path, schema])
        #expect(out == "valid\n")
        for field in ["\"exitCode\": 137", "\"node\": \"node-1\"", "\"subcategory\": \"lease-expired\""] {
            #expect(json.contains(field), "the report has no \(field)")
        }
        // And the check can fail: a report missing its schemaVersion is rejected.
        let broken = try Self.write(json.replacingOccurrences(of: "\"schemaVersion\": 1,", with: ""), "broken.json")
        await #expect(throws: ProcessOutput.PythonFailed.self) {
            try await Self.python("import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
                            [broken, schema])
        }
    }
}
