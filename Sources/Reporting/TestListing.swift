import ArmadaAPI
import RetryEngine
import TestSpec

/// The output of `testsuite list`: what each test case will do, in a few lines.
public struct TestListing: Sendable {
    public var testCases: [TestCase]

    public init(testCases: [TestCase]) { self.testCases = testCases }

    public func render() -> String {
        testCases.map(Self.describe).joined(separator: "\n") + "\n\(testCases.count) test case\(testCases.count == 1 ? "" : "s")\n"
    }

    static func describe(_ t: TestCase) -> String {
        var lines = ["\(t.name)  (\(t.file))"]
        var shape = "  queue: \(t.queue.isEmpty ? "-" : t.queue)"
        if t.isPureQueueTest {
            shape += "  queue-only test"
        } else {
            shape += "  jobs: \(t.jobs.count) × \(t.batchSize) × \(t.numBatches) = \(t.totalJobs)"
        }
        shape += "  timeout: \(t.timeout.isZero ? "none" : t.timeout.description)"
        if !t.interval.isZero { shape += "  interval: \(t.interval)" }
        lines.append(shape)
        if !t.expectedEvents.isEmpty || !t.perJob.isEmpty { lines.append("  expected: \(t.expectedSequence)") }
        var rules: [String] = []
        if let retries = t.retries { rules.append("retries: \(retries) per job") }
        if t.strict { rules.append("strict") }
        if !t.never.isEmpty { rules.append("never: " + t.never.map(\.description).joined(separator: ", ")) }
        if !rules.isEmpty { lines.append("  checks: " + rules.joined(separator: "; ")) }
        if let action = t.action, let trigger = t.trigger {
            lines.append("  action: \(describe(action)) when every job is \(trigger)")
            if action.isNodeScoped { lines.append("  note: gRPC only (the REST gateway does not serve node operations)") }
        }
        if t.checksNothing { lines.append("  warning: \(TestCase.checksNothingMessage); `test` reports it as invalid") }
        if let qc = t.queueConfig {
            var q = "  queues: \(qc.setup.queueCount) created"
            if qc.update != nil { q += ", updated" }
            let checks = qc.assertions.flatMap(describe)
            if !checks.isEmpty { q += "; asserts \(checks.joined(separator: ", "))" }
            lines.append(q)
        }
        for policy in t.retryPolicies {
            lines.append("  policy: \(describe(policy))")
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ action: TestAction) -> String {
        switch action {
        case .cancelJobSet(let r, let assertInactive):
            var s = "cancel job set"
            if let states = r.filter?.states, !states.isEmpty { s += " [\(states.map(\.protoName).joined(separator: ","))]" }
            return assertInactive ? s + ", then again with no active jobs" : s
        case .cancelOnNode(_, let tag): return "cancel on node (pool tag \(tag))"
        case .preemptOnNode(_, let tag): return "preempt on node (pool tag \(tag))"
        case .cancel: return "cancel by ids"
        case .preempt: return "preempt by ids"
        case .reprioritize(let r, let bySet):
            return "reprioritize \(bySet ? "job set" : "by ids") to \(r.newPriority.map { JSONValue.numberText($0) } ?? "0")"
        }
    }

    static func describe(_ a: QueueAssertion) -> [String] {
        var out: [String] = []
        if let pool = a.activeInPool { out.append("active in \(pool)") }
        if a.appearsInStream { out.append("in GetQueues stream") }
        if a.matches != nil { out.append("properties match") }
        if a.deleted { out.append("deleted") }
        return out
    }

    /// `memory +1Gi, avoid same node`; nil when the mutation changes nothing.
    static func describe(_ m: RetryMutation) -> String? {
        var parts: [String] = []
        if let memory = m.resources?.memory {
            if let add = memory.static { parts.append("memory +\(add)") }
            if let factor = memory.factor { parts.append("memory ×\(JSONValue.numberText(factor))") }
        }
        if m.affinity?.avoidSameNode == true { parts.append("avoid same node") }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func describe(_ p: RetryPolicy) -> String {
        let rules = p.rules.map { rule -> String in
            var matchers: [String] = []
            if !rule.onConditions.isEmpty { matchers.append("conditions \(rule.onConditions.joined(separator: "|"))") }
            if let codes = rule.onExitCodes {
                matchers.append("exit code \(codes.operator.shortName) [\(codes.values.map(String.init).joined(separator: ","))]")
            }
            if let pattern = rule.onTerminationMessagePattern { matchers.append("message /\(pattern)/") }
            if let category = rule.onCategory {
                matchers.append("category \(category)" + (rule.onSubcategory.map { "/\($0)" } ?? ""))
            }
            var text = "\(rule.action.shortName) on \(matchers.isEmpty ? "any failure" : matchers.joined(separator: " and "))"
            if let mutate = rule.mutate.flatMap(describe) { text += " (mutate: \(mutate))" }
            return text
        }
        var s = "\(p.name) (retryLimit \(p.retryLimit), default \(p.defaultAction.shortName))"
        if !rules.isEmpty { s += ": " + rules.joined(separator: "; ") }
        return s
    }
}
