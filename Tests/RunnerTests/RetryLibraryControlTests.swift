import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import Testing
import TestSpec

/// Negative controls for the retry library: each retry-assertion test case, with a deliberately
/// wrong policy (or job), must fail, and say why. A case that passed anyway would check nothing.
@Suite struct RetryLibraryControlTests {
    struct Control: Sendable, CustomStringConvertible {
        var file: String
        /// Text replacements applied to the file, in order; each must occur.
        var edits: [(String, String)]
        /// What the failure message must say.
        var fragments: [String]
        var description: String { "\(file): " + edits.map { "\($0.0) → \($0.1)" }.joined(separator: ", ") }
    }

    static let controls: [Control] = [
        Control(file: "retry_count_exact", edits: [("retryLimit: 2", "retryLimit: 3")],
                fragments: ["failed(exit 1, retryable, pod /", "×2 occurred 3 times (at least), expected exactly 2 times",
                            "run 0: failed (exit 1, user_error, retryable)"]),
        Control(file: "retry_count_exact", edits: [("retryLimit: 2", "retryLimit: 1")],
                fragments: ["×2 occurred 1 time, expected exactly 2 times, before failed(user_error"]),
        Control(file: "retries_shorthand", edits: [("retryLimit: 2", "retryLimit: 3")],
                fragments: ["was retried 3 times (3 retryable failures); retries: 2 expects 2 retries"]),
        Control(file: "retries_shorthand", edits: [("retryLimit: 2", "retryLimit: 1")],
                fragments: ["after 1 retry; retries: 2 expects 2 retries"]),
        Control(file: "strict_chain", edits: [("values: [1]", "values: [2]")],
                fragments: ["expected retryable \"true\" but got \"false\""]),
        Control(file: "strict_chain", edits: [(#"= "0" ]; then exit 1"#, #"!= "9" ]; then exit 1"#)],
                fragments: ["produced failed(user_error, exit 1, retryable", "where succeeded(run 1) was expected (strict:"]),
        Control(file: "never_terminal", edits: [("values: [1]", "values: [9]")],
                fragments: ["which never: failed forbids"]),
        Control(file: "failure_payload", edits: [(#""^disk (full|gone)$""#, #""^disk gone$""#)],
                fragments: ["expected retryable \"true\" but got \"false\""]),
        // Only job 0's rule is wrong (exit 3 retried), so only job 0 can fail, whatever the event order.
        Control(file: "per_job_exit_codes", edits: [("- action: Fail\n        onExitCodes:\n          operator: In\n          values: [3]",
                                                     "- action: Retry\n        onExitCodes:\n          operator: In\n          values: [3]")],
                fragments: ["was retried 1 time (1 retryable failures); retries: 0 expects 0 retries"]),
    ]

    @Test("a wrong policy fails the test, naming why", arguments: controls)
    func control(_ control: Control) async throws {
        let path = TestCaseRunnerTests.root.path + "/testcases/retries/\(control.file).yaml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        for (from, to) in control.edits {
            #expect(text.contains(from), "\(control.file) no longer contains \(from)")
            text = text.replacingOccurrences(of: from, with: to)
        }
        let test = try #require(TestCaseLoader().load(text: text, file: "testcases/retries/\(control.file).yaml").testCase)
        try await TestCaseRunnerTests().withRunner { runner, _ in
            let result = await runner.run(test)
            guard case .failed(let message) = result.outcome else {
                Issue.record("\(control): expected a failure, got \(result.outcome)")
                return
            }
            for fragment in control.fragments {
                #expect(message.contains(fragment), "\(control): \(message)")
            }
        }
    }
}
