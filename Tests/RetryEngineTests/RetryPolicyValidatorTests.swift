import ArmadaAPI
import RetryEngine
import Testing

@Suite struct RetryPolicyValidatorTests {
    let valid = RetryPolicy(name: "e2e-retry-policy", retryLimit: 2, defaultAction: .fail,
                            rules: [RetryRule(action: .retry, onConditions: ["AppError"])])

    func messages(_ policy: RetryPolicy) -> [String] { RetryPolicyValidator.validate(policy).map(\.description) }

    @Test func acceptsTheSeedPolicy() {
        #expect(RetryPolicyValidator.validate(valid).isEmpty)
    }

    @Test(arguments: ["", "Upper", "a_b", "-a", "a-", String(repeating: "a", count: 64)])
    func rejectsBadNames(name: String) {
        var p = valid
        p.name = name
        #expect(RetryPolicyValidator.validate(p).map(\.path) == [["name"]])
    }

    @Test func requiresActions() {
        var p = valid
        p.defaultAction = .unspecified
        p.rules[0].action = .unspecified
        #expect(RetryPolicyValidator.validate(p).map(\.path) == [["defaultAction"], ["rules", 0, "action"]])
    }

    @Test func ruleNeedsAMatcherAndSubcategoryNeedsCategory() {
        var p = valid
        p.rules = [RetryRule(action: .retry), RetryRule(action: .retry, onSubcategory: "transient")]
        let issues = RetryPolicyValidator.validate(p)
        #expect(issues.map(\.path) == [["rules", 0], ["rules", 1], ["rules", 1, "onSubcategory"]])
        #expect(issues[0].message.contains("at least one matcher"))
    }

    @Test func exitCodesNeedOperatorAndValues() {
        var p = valid
        p.rules = [RetryRule(action: .retry, onExitCodes: ExitCodeMatcher(operator: .unspecified, values: []))]
        #expect(RetryPolicyValidator.validate(p).map(\.path)
            == [["rules", 0, "onExitCodes", "operator"], ["rules", 0, "onExitCodes", "values"]])
    }

    @Test func patternMustCompileAndNotBeEmpty() {
        var p = valid
        p.rules = [RetryRule(action: .retry, onTerminationMessagePattern: "(unclosed"),
                   RetryRule(action: .retry, onTerminationMessagePattern: "")]
        let issues = RetryPolicyValidator.validate(p)
        #expect(issues.count == 2) // rules[1]: one clear message about the empty pattern
        #expect(issues[0].message.contains("does not compile"))
        #expect(issues.contains { $0.message.contains("must not be empty") })
    }

    @Test func conditionsAreKnownNamesWithCaseHint() {
        var p = valid
        p.rules = [RetryRule(action: .retry, onConditions: ["OOMKilled", "oomkilled", "Crashed"])]
        let issues = RetryPolicyValidator.validate(p)
        #expect(issues.map(\.path) == [["rules", 0, "onConditions", 1], ["rules", 0, "onConditions", 2]])
        #expect(issues[0].message.contains("did you mean \"OOMKilled\""))
        #expect(issues[1].message.contains("known conditions"))
    }

    @Test func memoryBumpRules() {
        func bump(_ b: RetryResourceBump) -> [String] {
            var p = valid
            p.rules = [RetryRule(action: .retry, onCategory: "oom",
                                 mutate: RetryMutation(resources: RetryResourceMutation(memory: b)))]
            return messages(p)
        }
        #expect(bump(RetryResourceBump(factor: 2)).isEmpty)
        #expect(bump(RetryResourceBump(static: "512Mi")).isEmpty)
        #expect(bump(RetryResourceBump(factor: 1.0)).first?.contains("greater than 1.0") == true)
        #expect(bump(RetryResourceBump(static: "0")).first?.contains("greater than 0") == true)
        #expect(bump(RetryResourceBump(static: "lots")).first?.contains("not a Kubernetes quantity") == true)
        #expect(bump(RetryResourceBump(static: "1Gi", factor: 2)).first?.contains("not both") == true)
        #expect(bump(RetryResourceBump()).first?.contains("exactly one") == true)
    }

    @Test func mutateOnAFailRuleIsAWarning() {
        var p = valid
        p.rules = [RetryRule(action: .fail, onCategory: "oom", mutate: RetryMutation(affinity: .init(avoidSameNode: true)))]
        #expect(RetryPolicyValidator.validate(p).map(\.severity) == [.warning])
    }
}
