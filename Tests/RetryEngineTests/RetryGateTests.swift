import RetryEngine
import Testing

@Suite struct RetryGateTests {
    let seed = RetryPolicy(name: "e2e-retry-policy", retryLimit: 2, defaultAction: .retry,
                           rules: [RetryRule(action: .retry, onConditions: ["AppError"])])
    var gate: RetryGate { RetryGate(enabled: true, globalMaxRetries: 5, policies: ["e2e-retry-policy": seed]) }
    let failure = RunError(kind: .podError, podCondition: .appError, containers: [.init(name: "c", exitCode: 1)])

    func legacy(_ o: RetryGate.Outcome) -> String? {
        if case .legacy(let why) = o { return why }
        return nil
    }

    @Test func gatingOrder() {
        let onQueue = RetryGate.Job(queuePolicies: ["e2e-retry-policy"])
        var off = gate
        off.enabled = false
        #expect(legacy(off.evaluate(onQueue, error: failure, failures: 1)) == "retry engine disabled")
        #expect(legacy(gate.evaluate(RetryGate.Job(), error: failure, failures: 1)) == "no retry policy for the queue")
        #expect(legacy(gate.evaluate(RetryGate.Job(queuePolicies: ["e2e-retry-policy"], gangCardinality: 3), error: failure, failures: 1))
            == "gang jobs are not retried by the engine")
        #expect(legacy(gate.evaluate(RetryGate.Job(annotations: ["armadaproject.io/failFast": "true"], queuePolicies: ["e2e-retry-policy"]),
                                     error: failure, failures: 1)) == "failFast annotation")
        #expect(legacy(gate.evaluate(RetryGate.Job(queuePolicies: ["missing"]), error: failure, failures: 1)) == "retry policy missing is not known")
        guard case .decided(let name, let d) = gate.evaluate(onQueue, error: failure, failures: 1) else {
            Issue.record("expected the engine to decide")
            return
        }
        #expect(name == "e2e-retry-policy" && d.retry)
        // A cardinality-1 gang is a plain job.
        guard case .decided = gate.evaluate(RetryGate.Job(queuePolicies: ["e2e-retry-policy"], gangCardinality: 1), error: failure, failures: 1) else {
            Issue.record("cardinality-1 gangs are plain jobs")
            return
        }
    }

    @Test func policyResolution() {
        var g = gate
        g.defaultPolicyName = "fleet"
        #expect(g.policyName(for: RetryGate.Job(annotations: ["armadaproject.io/retryPolicies": " job-level , other"], queuePolicies: ["q"])) == "job-level")
        #expect(g.policyName(for: RetryGate.Job(queuePolicies: ["first", "second"], queuePolicy: "single")) == "first")
        #expect(g.policyName(for: RetryGate.Job(queuePolicy: "single")) == "single")
        #expect(g.policyName(for: RetryGate.Job()) == "fleet")
    }

    @Test func preemptionAndLeaseReturnsOnlyThroughExplicitRules() {
        let job = RetryGate.Job(queuePolicies: ["e2e-retry-policy"])
        // defaultAction Retry does not apply to them.
        #expect(legacy(gate.evaluate(job, error: RunError(kind: .preempted), failures: 1)) == "no rule names Preempted")
        #expect(legacy(gate.evaluate(job, error: RunError(kind: .leaseReturned), failures: 1)) == "no rule names LeaseReturned")
        var g = gate
        g.policies["e2e-retry-policy"]?.rules.insert(RetryRule(action: .retry, onConditions: ["Preempted"]), at: 0)
        guard case .decided(_, let d) = g.evaluate(job, error: RunError(kind: .preempted), failures: 1) else {
            Issue.record("an explicit Preempted rule reaches the engine")
            return
        }
        #expect(d.retry && d.matchedRule == 0)
        // Outside the budgets: retried even with retryLimit 0 and after many counted failures.
        g.policies["e2e-retry-policy"]?.retryLimit = 0
        guard case .decided(_, let again) = g.evaluate(job, error: RunError(kind: .preempted), failures: 9) else {
            Issue.record("explicit rule")
            return
        }
        #expect(again.retry)
        g.globalMaxRetries = 0
        guard case .decided(_, let killed) = g.evaluate(job, error: RunError(kind: .preempted), failures: 1) else {
            Issue.record("explicit rule")
            return
        }
        #expect(!killed.retry && killed.label == .failGlobalLimit)
    }
}

@Suite struct MemoryBumpTests {
    let mi = 1_048_576.0

    @Test func factorsCompoundAndStaticsAdd() {
        var bump = MemoryBump.none
        bump = bump.applying(RetryResourceBump(factor: 2)).bump
        #expect(bump.schedulingRequirement(original: 40 * mi) == 80 * mi)
        bump = bump.applying(RetryResourceBump(factor: 2)).bump
        #expect(bump.schedulingRequirement(original: 40 * mi) == 160 * mi)
        var s = MemoryBump.none.applying(RetryResourceBump(static: "512Mi")).bump
        #expect(s.schedulingRequirement(original: 1024 * mi) == 1536 * mi)
        s = s.applying(RetryResourceBump(static: "512Mi")).bump
        #expect(s.schedulingRequirement(original: 1024 * mi) == 2048 * mi)
    }

    @Test func oneBumpKindPerJob() {
        let factor = MemoryBump.factor(2)
        let (after, skipped) = factor.applying(RetryResourceBump(static: "1Gi"))
        #expect(skipped && after == factor)
        #expect(MemoryBump.none.applying(nil) == (.none, false))
    }

    @Test func containerSplit() {
        let f = MemoryBump.factor(1.5).containerMemory(main: [25 * mi + 1, nil], initContainers: [10 * mi])
        #expect(f.main == [((25 * mi + 1) * 1.5).rounded(.down), nil] && f.initContainers == [15 * mi])
        let s = MemoryBump.addition(300 * mi).containerMemory(main: [100 * mi, 200 * mi], initContainers: [50 * mi])
        #expect(s.main == [200 * mi, 400 * mi] && s.initContainers == [350 * mi])
    }
}
