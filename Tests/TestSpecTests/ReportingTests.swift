import Reporting
import Testing
@testable import TestSpec

@Suite struct ReportingTests {
    @Test func validationReportListsFilesAndErrors() {
        let good = load("queue: q\nqueueConfig:\n  setup:\n")
        let bad = load("queue: q\nqueueConfig:\n  setup:\nfoo: 1\n")
        let report = ValidationReport(results: [good, bad])
        #expect(!report.allValid)
        #expect(report.render() == """
        ok      t.yaml
        invalid t.yaml
        t.yaml:4:1: error: unknown key "foo" at the top level
            hint: known keys here: name, queue, jobSetId, jobs, numBatches, batchSize, interval, timeout, randomClientId, getLogs, environment, target, expectedEvents, retries, strict, never, perJob, triggerEvent, cancelJobSet, cancelOnNode, preemptOnNode, cancel, preempt, reprioritize, queueConfig, retryPolicies; --lenient turns unknown keys into warnings

        2 files: 1 valid, 1 invalid

        """)
    }

    @Test func listingShowsShapeSequenceActionAndPolicies() throws {
        let t = try #require(TestCaseLoader().load(file: repositoryRoot.path + "/testcases/retries/single_pod_retry.yaml").testCase)
        let c = try #require(TestCaseLoader().load(file: repositoryRoot.path + "/testcases/basic/cancel_by_ids.yaml").testCase)
        #expect(TestListing(testCases: [t, c]).render() == """
        single-pod-retry  (\(t.file))
          queue: e2e-retry-single-pod  jobs: 1 × 1 × 1 = 1  timeout: 5m0s
          expected: submitted → leased → failed(retryable) → succeeded
          policy: single-pod-retry (retryLimit 2, default Fail): Retry on conditions AppError
        basic-cancel-by-ids  (\(c.file))
          queue: e2e-test-queue  jobs: 1 × 1 × 1 = 1  timeout: 1m40s
          expected: submitted → queued → cancelling → cancelled
          action: cancel by ids when every job is queued
        2 test cases

        """)
    }

    @Test func listingShowsPerJobSequencesAndRetryChecks() throws {
        let p = try #require(TestCaseLoader().load(file: repositoryRoot.path + "/testcases/retries/per_job_exit_codes.yaml").testCase)
        let n = try #require(TestCaseLoader().load(file: repositoryRoot.path + "/testcases/retries/never_terminal.yaml").testCase)
        let text = TestListing(testCases: [p, n]).render()
        #expect(text.contains("  expected: job 0: submitted → failed(/(?s)matched rule: Fail.*exited with code 3/); "
            + "labels role=retried: submitted → failed(exit 5, retryable, run 0) → succeeded\n"), "\(text)")
        #expect(text.contains("  checks: never: failed\n"), "\(text)")
    }
}
