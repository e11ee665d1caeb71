import RetryEngine
import Testing

@Suite struct RetryEvaluatorTests {
    static let exit1 = RunError(kind: .podError, message: "Container fail failed with exit code 1 because Error: \n",
                                podCondition: .appError, containers: [.init(name: "fail", exitCode: 1)], category: "user_error")

    func policy(limit: UInt32, _ rules: [RetryRule] = [RetryRule(action: .retry, onCategory: "user_error")],
                default action: RetryAction = .fail) -> RetryPolicy {
        RetryPolicy(name: "p", retryLimit: limit, defaultAction: action, rules: rules)
    }

    /// Runs `outcomes` failures in a row and returns each verdict's label and reason.
    func run(_ p: RetryPolicy, globalMax: Int, _ errors: [RunError]) -> [String] {
        var out: [String] = []
        for (i, e) in errors.enumerated() {
            let d = RetryEvaluator.evaluate(p, error: e, failures: i + 1, globalMaxRetries: globalMax)
            out.append("\(d.label.rawValue): \(d.reason)")
            if !d.retry { break }
        }
        return out
    }

    // Lifecycle §5.8 worked examples.
    @Test func retryLimit2Global5GivesThreeRuns() {
        #expect(run(policy(limit: 2), globalMax: 5, [Self.exit1, Self.exit1, Self.exit1]) == [
            "retry: matched rule: Retry", "retry: matched rule: Retry", "fail_policy_limit: policy retry limit exceeded (2/2)",
        ])
    }

    @Test func globalCapStopsALargeRetryLimit() {
        #expect(run(policy(limit: 10), globalMax: 3, Array(repeating: Self.exit1, count: 5)) == [
            "retry: matched rule: Retry", "retry: matched rule: Retry", "retry: matched rule: Retry",
            "fail_global_limit: global max retries exceeded (3/3)",
        ])
    }

    @Test func killSwitchAndZeroLimitAndFailRule() {
        #expect(run(policy(limit: 3), globalMax: 0, [Self.exit1]) == ["fail_global_limit: global max retries is 0, retries disabled"])
        #expect(run(policy(limit: 0), globalMax: 5, [Self.exit1]) == ["fail_policy_limit: policy retry limit exceeded (0/0)"])
        #expect(run(policy(limit: 0, [RetryRule(action: .fail, onCategory: "user_error")]), globalMax: 5, [Self.exit1])
            == ["fail_rule: matched rule: Fail"])
    }

    @Test func oomRetriedThenUncategorizedFailsByDefault() {
        let oom = RunError(kind: .podError, podCondition: .oomKilled, containers: [.init(name: "m", exitCode: 137, reason: "OOMKilled")],
                           category: "oom")
        let exit3 = RunError(kind: .podError, podCondition: .appError, containers: [.init(name: "m", exitCode: 3)], category: "uncategorized")
        let p = policy(limit: 2, [RetryRule(action: .retry, onCategory: "oom",
                                            mutate: RetryMutation(resources: .init(memory: .init(factor: 2))))])
        let first = RetryEvaluator.evaluate(p, error: oom, failures: 1, globalMaxRetries: 5)
        #expect(first.retry && first.mutation?.resources?.memory?.factor == 2 && first.matchedRule == 0)
        let second = RetryEvaluator.evaluate(p, error: exit3, failures: 2, globalMaxRetries: 5)
        #expect(!second.retry && second.label == .failDefault && second.reason == "no rule matched, using default action")
        #expect(RetryEvaluator.evaluate(policy(limit: 2, [], default: .retry), error: exit3, failures: 1, globalMaxRetries: 5).mutation == nil)
    }

    @Test func noErrorInformation() {
        let d = RetryEvaluator.evaluate(policy(limit: 2), error: nil, failures: 1, globalMaxRetries: 5)
        #expect(!d.retry && d.label == .noError && d.reason == "no error information available")
    }

    @Test func terminalReasonHasTheFinalRunErrorBlock() {
        let d = RetryEvaluator.evaluate(policy(limit: 2), error: Self.exit1, failures: 3, globalMaxRetries: 5)
        #expect(d.terminalReason(for: Self.exit1)
            == "Retry policy: policy retry limit exceeded (2/2)\n\nFinal run error:\nContainer fail failed with exit code 1 because Error: \n\nfail exited with code 1: ")
        #expect(RetryDecision(retry: false, label: .noError, reason: "x").terminalReason(for: nil) == "Retry policy: x")
    }

    // PR #4804 matchers, AND within a rule, first match wins.
    @Test func matchersCombineWithAndAndFirstMatchWins() {
        let e = RunError(kind: .podError, podCondition: .appError,
                         containers: [.init(name: "a", exitCode: 0), .init(name: "b", exitCode: 42, terminationMessage: "TRANSIENT_ERROR")],
                         category: "user_error", subcategory: "flaky")
        #expect(e.exitCode == 42 && e.terminationMessage == "TRANSIENT_ERROR")
        func m(_ r: RetryRule) -> Bool { RetryEvaluator.matches(r, e) }
        #expect(m(RetryRule(action: .retry, onConditions: ["AppError"])))
        #expect(!m(RetryRule(action: .retry, onConditions: ["OOMKilled"])))
        #expect(m(RetryRule(action: .retry, onExitCodes: .init(operator: .in, values: [42]))))
        #expect(!m(RetryRule(action: .retry, onExitCodes: .init(operator: .notIn, values: [42]))))
        #expect(m(RetryRule(action: .retry, onExitCodes: .init(operator: .notIn, values: [1]))))
        #expect(m(RetryRule(action: .retry, onTerminationMessagePattern: ".*TRANSIENT.*")))
        #expect(m(RetryRule(action: .retry, onTerminationMessagePattern: "TRANSIENT")))  // unanchored
        #expect(!m(RetryRule(action: .retry, onTerminationMessagePattern: "^ERROR")))
        #expect(m(RetryRule(action: .retry, onCategory: "user_error", onSubcategory: "flaky")))
        #expect(!m(RetryRule(action: .retry, onCategory: "user_error", onSubcategory: "other")))
        #expect(!m(RetryRule(action: .retry, onCategory: "user-error")))  // exact, byte for byte
        #expect(m(RetryRule(action: .retry, onConditions: ["AppError"], onExitCodes: .init(operator: .in, values: [42]), onCategory: "user_error")))
        #expect(!m(RetryRule(action: .retry, onConditions: ["AppError"], onExitCodes: .init(operator: .in, values: [7]))))
        #expect(!m(RetryRule(action: .retry)))
        let p = RetryPolicy(name: "p", retryLimit: 3, defaultAction: .retry, rules: [
            RetryRule(action: .fail, onExitCodes: .init(operator: .in, values: [42])),
            RetryRule(action: .retry, onCategory: "user_error"),
        ])
        #expect(RetryEvaluator.firstMatchingRule(p, e) == 0)
    }

    @Test func exitCodeZeroNeverMatchesAndMessagesOnlyForPodErrors() {
        let clean = RunError(kind: .podError, podCondition: .oomKilled, containers: [])
        #expect(!RetryEvaluator.matches(RetryRule(action: .retry, onExitCodes: .init(operator: .notIn, values: [1])), clean))
        let expired = RunError(kind: .leaseExpired, containers: [.init(name: "a", exitCode: 1, terminationMessage: "TRANSIENT")])
        #expect(expired.terminationMessage == "" && expired.condition == nil)
        #expect(!RetryEvaluator.matches(RetryRule(action: .retry, onTerminationMessagePattern: "TRANSIENT"), expired))
        #expect(RunError(kind: .preempted).condition == .preempted && RunError(kind: .leaseReturned).condition == .leaseReturned)
    }
}
