import Foundation
import Testing
@testable import TestSpec

@Suite struct FixtureTests {
    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)).path
    }

    @Test func upstreamFileLoadsToItsMeaning() throws {
        let r = TestCaseLoader().load(file: try fixture("upstream_failure_oom.yaml"))
        #expect(errors(r) == [])
        let t = try #require(r.testCase)
        #expect(t.name == "upstream_failure_oom" && t.queue == "e2e-test-queue" && t.randomClientId)
        #expect(t.timeout == .seconds(100))
        #expect(t.expectedEvents.map(\.description) == ["submitted", "failed(oom, /OOMKilled|exit code 137/)"])
        #expect(t.jobs.first?.podSpec?["containers"]?.arrayValue?.first?["args"] == .array([.string("tail /dev/zero")]))
    }

    @Test func typoInTheSecondDocumentNamesItsLine() throws {
        let path = try fixture("typo_key.yaml")
        let r = TestCaseLoader().load(file: path)
        let typo = try #require(r.errors.first { $0.message.contains("did you mean") })
        #expect(typo.description == "\(path):12:1: error: unknown key \"expectedEvent\" at the top level; did you mean \"expectedEvents\"?")
    }

    @Test func legacyKeysAreErrorsUnlessLenient() throws {
        let path = try fixture("legacy_action.yaml")
        #expect(errors(TestCaseLoader().load(file: path)).map { $0.prefix(5) } == ["13:1 ", "14:1 "])
        let lenient = TestCaseLoader(lenient: true).load(file: path)
        #expect(lenient.isValid)
        #expect(lenient.warnings.count == 2)
    }

    @Test func syntaxErrorsAndEncodingErrorsArePositioned() throws {
        #expect(errors(TestCaseLoader().load(file: try fixture("bad_syntax.yaml"))).first?
            .hasPrefix("4:1 YAML syntax error: found unexpected end of stream") == true)
        #expect(errors(TestCaseLoader().load(file: try fixture("not_utf8.yaml"))) == ["2:10 the file is not valid UTF-8 text"])
        #expect(errors(TestCaseLoader().load(file: "/nonexistent/x.yaml")).first?.hasPrefix("1:1 cannot read the file") == true)
    }
}
