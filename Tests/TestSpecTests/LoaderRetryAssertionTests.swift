import Testing
import TestSpec

/// Loading the retry assertions: the forms they take, and the mistakes reported at their key.
struct LoaderRetryAssertionTests {
    func spec(_ body: String, jobs: String = jobYAML) -> String {
        "queue: q\nnumBatches: 1\nbatchSize: 1\n\(jobs)\n" + body
    }

    @Test func countsRunsAndPayloadsLoad() throws {
        let r = load(spec("""
        retries: 2
        strict: true
        never:
          - failed: {retryable: false}
          - cancelled:
        expectedEvents:
          - submitted:
          - leased: {times: {min: 1, max: 3}}
          - failed: {retryable: true, times: 2, exitCode: 1, terminationMessage: "^oom$", podName: "-0-[01]$", runIndex: 0}
          - succeeded: {runIndex: 2}
        """))
        let test = try #require(r.testCase, "\(errors(r))")
        #expect(test.retries == 2 && test.strict)
        #expect(test.never.map(\.description) == ["failed", "cancelled"])
        #expect(test.never[0].failed?.retryable == false)
        #expect(test.expectedEvents[1].times == Occurrences(min: 1, max: 3))
        let failed = test.expectedEvents[2]
        #expect(failed.times == .exactly(2) && failed.runIndex == 0 && failed.podName == "-0-[01]$")
        #expect(failed.failed == FailedExpectation(retryable: true, exitCode: 1, terminationMessage: "^oom$"))
        #expect(test.expectedSequence == "submitted → leased ×1…3 → failed(exit 1, message /^oom$/, retryable, run 0, pod /-0-[01]$/) ×2 → succeeded(run 2)")
    }

    @Test func neverLeavesUnwrittenFieldsUnchecked() throws {
        let test = try #require(load(spec("never: [{failed: }]\nexpectedEvents: [{submitted: }]")).testCase)
        #expect(test.never[0].failed?.retryable == nil)
    }

    @Test(arguments: [
        ("expectedEvents: [{failed: {retryable: true, times: 0}}]", "0 is out of range: write a count from 1 to 10000"),
        ("expectedEvents: [{leased: {times: {min: 3, max: 2}}}]", "max 2 is less than min 3"),
        ("expectedEvents: [{leased: {times: {}}}]", "times needs a count or a {min, max} range"),
        ("expectedEvents: [{succeeded: {podName: x}}]", "succeeded events carry no pod name, so podName could never match"),
        ("expectedEvents: [{failed: {reason: \"(?=x)\"}}]", "reason \"(?=x)\" is not a valid Go regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("expectedEvents: [{failed: {terminationMessage: \"a++\"}}]", "terminationMessage \"a++\" is not a valid Go regexp: invalid nested repetition operator: `++`"),
        ("expectedEvents: [{failed: {times: 2}}]", "failed ends the job, so it cannot occur exactly 2 times"),
        ("never: [{failed: {times: 1}}]\nexpectedEvents: [{submitted: }]", "times has no meaning in never:, which allows no occurrence at all"),
        ("retries: 1001\nexpectedEvents: [{submitted: }]", "retries 1001 is out of range: write a count from 0 to 1000"),
        ("expectedEvents: [{leased: {runIndex: -1}}]", "runIndex -1 is out of range: runs are numbered from 0 to 10000"),
    ])
    func mistakesAreReportedAtTheirKey(_ body: String, _ expected: String) {
        let r = load(spec(body))
        // Reported at the key, in the body (after the job block), not at the document.
        #expect(r.errors.contains { $0.message.hasPrefix(expected) && $0.location.line >= 10 }, "\(errors(r))")
    }

    @Test func perJobSelectsByPositionOrLabel() throws {
        let jobs = """
        jobs:
          - namespace: default
            labels: {role: a}
            podSpec: {containers: [{name: c, image: i}]}
          - namespace: default
            labels: {role: b}
            podSpec: {containers: [{name: c, image: i}]}
          - namespace: default
            podSpec: {containers: [{name: c, image: i}]}
        """
        let r = load(spec("""
        expectedEvents: [{submitted: }, {succeeded: }]
        perJob:
          - job: 0
            expectedEvents: [{submitted: }, {failed: }]
          - labels: {role: b}
            retries: 1
            expectedEvents: [{submitted: }, {succeeded: }]
        """, jobs: jobs))
        let test = try #require(r.testCase, "\(errors(r))")
        #expect(test.perJob.map(\.items) == [[0], [1]])
        #expect(test.expectation(forItem: 0).events.last?.type == .failed)
        #expect(test.expectation(forItem: 1).retries == 1)
        #expect(test.expectation(forItem: 2).entry == nil)
        #expect(test.expectedSequence == "submitted → succeeded; job 0: submitted → failed; labels role=b: submitted → succeeded")
    }

    @Test func perJobMistakes() {
        let r = load(spec("""
        perJob:
          - job: 3
            expectedEvents: [{submitted: }]
          - labels: {role: none}
            expectedEvents: [{submitted: }]
          - job: 0
          - expectedEvents: [{submitted: }]
        """))
        let messages = errors(r).joined(separator: "\n")
        #expect(messages.contains("job 3 does not exist: jobs: has 1 item(s), numbered from 0"))
        #expect(messages.contains("no item of jobs: has the labels labels role=none"))
        #expect(messages.contains("a perJob entry needs expectedEvents:"))
        #expect(messages.contains("a perJob entry needs job:, jobs: or labels:"))
        let uncovered = load(spec("perJob:\n  - labels: {role: none}\n    expectedEvents: [{submitted: }]"))
        #expect(errors(uncovered).joined().contains("expectedEvents is empty, but 1 job(s) are in no perJob entry and follow it"))
    }

    @Test func retriesWithoutATerminalOutcomeWarns() {
        let r = load(spec("retries: 1\nexpectedEvents: [{submitted: }]"))
        #expect(r.diagnostics.contains { !$0.isError && $0.message.contains("does not end with the job's terminal outcome") })
    }
}
