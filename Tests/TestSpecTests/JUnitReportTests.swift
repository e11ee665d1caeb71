import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reporting
import Runner
import Testing

@Suite struct JUnitReportTests {
    func result(_ name: String, _ outcome: TestResult.Outcome, log: [String] = []) -> TestResult {
        TestResult(name: name, file: "testcases/\(name).yaml", jobSetId: "\(name)-abc", queue: "q", outcome: outcome,
                   started: Date(timeIntervalSince1970: 0), duration: .milliseconds(1500), log: log)
    }

    @Test func rendersCountsTimesAndEscapes() throws {
        let report = JUnitReport(suiteName: "retries/*.yaml", results: [
            result("ok", .passed, log: ["line one", "a ]]> b"]),
            result("bad", .failed("expected \"x\" <y> & z\nsecond line \u{01}")),
            result("broken", .error("queue missing")),
        ], timestamp: Date(timeIntervalSince1970: 1_796_000_000), hostname: "ci-host")
        let xml = report.render()
        #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"))
        #expect(xml.hasSuffix("</testsuites>\n"))
        #expect(xml.contains(#"<testsuites name="retries/*.yaml" tests="3" failures="1" errors="1" time="4.500">"#))
        #expect(xml.contains(#"timestamp="2026-11-30T00:53:20Z""#))
        #expect(xml.contains(#"hostname="ci-host""#))
        #expect(xml.contains(#"<testcase name="ok" classname="testcases/ok.yaml" time="1.500">"#))
        #expect(xml.contains(#"message="expected &quot;x&quot; &lt;y&gt; &amp; z&#10;second line \#u{FFFD}""#))
        #expect(xml.contains("<error type=\"TestError\" message=\"queue missing\">queue missing</error>"))
        #expect(xml.contains("<![CDATA[line one\na ]]]]><![CDATA[> b]]>"))
        // Well-formed: Foundation's XML parser accepts it.
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    }
}
