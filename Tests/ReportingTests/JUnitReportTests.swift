import Foundation
import Reporting
import Runner
import Testing

@Suite struct JUnitReportTests {
    static func result(_ name: String, _ outcome: TestResult.Outcome, folder: String = "retries", log: [String] = []) -> TestResult {
        TestResult(name: name, file: "testcases/\(folder)/\(name).yaml", folder: folder, jobSetId: "\(name)-abc", queue: "q-\(name)",
                   policies: name == "ok" ? ["p-abc"] : [], outcome: outcome, started: Date(timeIntervalSince1970: 1_796_000_000),
                   duration: .milliseconds(1500), log: log)
    }

    static let report = JUnitReport(suiteName: "retries/*.yaml", results: [
        result("ok", .passed, log: ["line one", "a ]]> b", "\u{1B}[31mred\u{1B}[0m"]),
        result("bad", .failed("expected \"x\" <y> & z\nsecond line \u{01}")),
        result("slow", .timedOut("timed out after 1s")),
        result("broken", .error("queue missing"), folder: "basic"),
        result("stopped", .interrupted("interrupted while watching"), folder: "basic"),
        result("never", .skipped("not run"), folder: "basic"),
    ], target: "http://localhost:8081", timestamp: Date(timeIntervalSince1970: 1_796_000_000), hostname: "ci-host",
       elapsed: .seconds(4))

    @Test func structureFollowsTheJenkinsSchema() throws {
        let xml = Self.report.render()
        #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"))
        #expect(xml.hasSuffix("</testsuites>\n"))
        let root = try XMLElement.parse(xml)
        #expect(root.name == "testsuites")
        #expect(root["tests"] == "6" && root["failures"] == "1" && root["errors"] == "3" && root["skipped"] == nil)
        #expect(root["time"] == "4.000")
        // One suite per folder, in order of first appearance, each with properties first.
        let suites = root.all("testsuite")
        #expect(suites.map { $0["name"] } == ["retries", "basic"])
        #expect(root.children.allSatisfy { $0.name == "testsuite" })
        let retries = suites[0]
        #expect(retries["tests"] == "3" && retries["failures"] == "1" && retries["errors"] == "1" && retries["skipped"] == "0")
        // A suite's time is its wall-clock span (its tests ran side by side), not the sum of their times.
        #expect(retries["time"] == "1.500" && retries["hostname"] == "ci-host" && retries["timestamp"] == "2026-11-30T00:53:20Z")
        #expect(retries.children.first?.name == "properties")
        let properties = Dictionary(uniqueKeysWithValues: try #require(retries.first("properties")).all("property")
            .map { ($0["name"] ?? "", $0["value"] ?? "") })
        #expect(properties["target"] == "http://localhost:8081")
        // The run-wide target appears once in the file, not on every suite.
        #expect(suites[1].first("properties")?.all("property").contains { $0["name"] == "target" } == false)
        #expect(properties["ok.queue"] == "q-ok" && properties["ok.jobSet"] == "ok-abc" && properties["ok.policies"] == "p-abc")
        // Test cases: classname is the folder, numeric time, typed failure and errors, system-out last.
        let cases = suites.flatMap { $0.all("testcase") }
        #expect(cases.map { $0["name"] } == ["ok", "bad", "slow", "broken", "stopped", "never"])
        #expect(cases.map { $0["classname"] } == ["retries", "retries", "retries", "basic", "basic", "basic"])
        #expect(cases.allSatisfy { $0["time"] == "1.500" })
        #expect(cases[0].children.map(\.name) == ["system-out"])
        #expect(cases[1].children.map(\.name) == ["failure", "system-out"])
        #expect(cases[1].first("failure")?["type"] == "ExpectationFailure")
        // The whole verdict on one line; the body keeps the text as it was.
        #expect(cases[1].first("failure")?["message"] == "expected \"x\" <y> & z second line")
        #expect(cases[1].first("failure")?.text == "expected \"x\" <y> & z\nsecond line ")
        #expect(cases[2].first("error")?["type"] == "Timeout")
        #expect(cases[3].first("error")?["type"] == "InfrastructureError")
        #expect(cases[4].first("error")?["type"] == "Interrupted")
        #expect(cases[5].children.map(\.name) == ["skipped", "system-out"])
        // The log keeps `]]>` and loses ANSI escapes.
        let out = try #require(cases[0].first("system-out")).text
        #expect(out.contains("line one\na ]]> b\nred"))
        #expect(out.contains("job set: ok-abc") && out.contains("retry policies: p-abc"))
        #expect(!xml.contains("\u{1B}") && !xml.contains("\u{01}"))
    }

    @Test func everyCharacterSurvivesOrIsDropped() throws {
        var weird = ""
        for scalar in (0..<0x80).compactMap(Unicode.Scalar.init) { weird.unicodeScalars.append(scalar) }
        weird += "\u{FFFE}\u{FFFF}]]>é😀"
        let report = JUnitReport(suiteName: weird, results: [Self.result(weird, .failed(weird), log: [weird])])
        let root = try XMLElement.parse(report.render())
        let testcase = try #require(root.first("testsuite")?.first("testcase"))
        #expect(testcase["name"]?.contains("]]>é😀") == true)
        #expect(testcase.first("system-out")?.text.contains("]]>é😀") == true)
    }
}

@Suite struct JUnitSchemaTests {
    static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Resources/jenkins-junit-10.xsd")

    /// Surefire's rerun elements: a flaky test passes with a flakyFailure / flakyError per failed
    /// attempt; a test that failed every attempt has its failure and a rerunFailure per earlier one.
    @Test func flakyAndRerunTestsAreWrittenAsSurefireWritesThem() throws {
        var flaky = JUnitReportTests.result("wobbly", .passed)
        var first = JUnitReportTests.result("wobbly", .failed("job j ended with failed"))
        first.jobSetId = "wobbly-one"
        var second = JUnitReportTests.result("wobbly", .timedOut("timed out after 5s"))
        second.jobSetId = "wobbly-two"
        flaky.earlierAttempts = [TestResult.Attempt(first), TestResult.Attempt(second)]
        var broken = JUnitReportTests.result("broken", .failed("still failing"))
        broken.earlierAttempts = [TestResult.Attempt(first)]
        let root = try XMLElement.parse(JUnitReport(suiteName: "s", results: [flaky, broken]).render())
        #expect(root["tests"] == "2" && root["failures"] == "1" && root["errors"] == "0", "\(root.attributes)")
        let cases = root.all("testsuite").flatMap { $0.all("testcase") }
        let wobbly = try #require(cases.first { $0["name"] == "wobbly" })
        #expect(wobbly.first("failure") == nil && wobbly.first("error") == nil)
        #expect(wobbly.all("flakyFailure").map { $0["message"] } == ["job set wobbly-one: job j ended with failed"])
        #expect(wobbly.all("flakyError").map { $0["type"] } == ["Timeout"])
        let rerun = try #require(cases.first { $0["name"] == "broken" })
        #expect(rerun.first("failure")?["message"] == "still failing")
        #expect(rerun.all("rerunFailure").count == 1)
    }

    @Test func theReportIsValidAgainstTheJenkinsSchema() throws {
        let schema = try SchemaSubset(xsd: String(contentsOf: Self.schemaURL, encoding: .utf8))
        #expect(schema.rules["testcase"]?.attributes == ["name", "time", "classname", "group"])
        #expect(!schema.timePattern.isEmpty)
        let root = try XMLElement.parse(JUnitReportTests.report.render())
        #expect(schema.violations(root) == [])
    }

    @Test func theCheckFindsWhatTheSchemaForbids() throws {
        let schema = try SchemaSubset(xsd: String(contentsOf: Self.schemaURL, encoding: .utf8))
        let bad = try XMLElement.parse("""
            <testsuites skipped="1" time="1m40s"><testsuite name="a" tests="1" failures="0"><testcase name="t">\
            <properties/></testcase></testsuite></testsuites>
            """)
        #expect(schema.violations(bad) == [
            "/testsuites: attribute skipped not allowed",
            "/testsuites: time=\"1m40s\" is not a SUREFIRE_TIME",
            "/testsuites/testsuite: required attribute errors missing",
            "/testsuites/testsuite/testcase: child properties not allowed",
        ])
    }
}
