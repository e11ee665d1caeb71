/// Which retry path a failed run takes (lifecycle §5.4 with the project's choices of §0.2).
public struct RetryGate: Sendable {
    public var enabled: Bool
    public var globalMaxRetries: Int
    public var defaultPolicyName: String
    /// The scheduler's policy cache, by name.
    public var policies: [String: RetryPolicy]

    public static let failFastAnnotation = "armadaproject.io/failFast"
    public static let policyAnnotation = "armadaproject.io/retryPolicies"

    public init(enabled: Bool = true, globalMaxRetries: Int = 5, defaultPolicyName: String = "",
                policies: [String: RetryPolicy] = [:]) {
        self.enabled = enabled
        self.globalMaxRetries = globalMaxRetries
        self.defaultPolicyName = defaultPolicyName
        self.policies = policies
    }

    /// What the gate needs to know about the job.
    public struct Job: Sendable, Hashable {
        public var annotations: [String: String]
        /// The queue's ordered `retryPolicies` (only the first counts) and the prototype's singular one.
        public var queuePolicies: [String]
        public var queuePolicy: String
        public var gangCardinality: Int

        public init(annotations: [String: String] = [:], queuePolicies: [String] = [], queuePolicy: String = "",
                    gangCardinality: Int = 1) {
            self.annotations = annotations
            self.queuePolicies = queuePolicies
            self.queuePolicy = queuePolicy
            self.gangCardinality = gangCardinality
        }
    }

    public enum Outcome: Sendable, Hashable {
        /// The engine does not decide; the legacy path applies (why, for logs and tests).
        case legacy(String)
        /// The engine decided, under the named policy.
        case decided(policy: String, RetryDecision)
    }

    /// The policy that applies: the job's annotation, else the queue's first policy (or its
    /// singular one), else the scheduler's default.
    public func policyName(for job: Job) -> String? {
        if let annotated = job.annotations[Self.policyAnnotation]?.split(separator: ",").first {
            let name = String(annotated.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
            if !name.isEmpty { return name }
        }
        if let first = job.queuePolicies.first, !first.isEmpty { return first }
        if !job.queuePolicy.isEmpty { return job.queuePolicy }
        return defaultPolicyName.isEmpty ? nil : defaultPolicyName
    }

    /// - Parameter failures: counted failures including this run (preemptions and lease returns never count).
    public func evaluate(_ job: Job, error: RunError?, failures: Int) -> Outcome {
        guard enabled else { return .legacy("retry engine disabled") }
        guard let name = policyName(for: job) else { return .legacy("no retry policy for the queue") }
        if job.gangCardinality >= 2 { return .legacy("gang jobs are not retried by the engine") }
        if job.annotations[Self.failFastAnnotation] == "true" { return .legacy("failFast annotation") }
        guard let policy = policies[name] else { return .legacy("retry policy \(name) is not known") }
        guard let error else { return .decided(policy: name, RetryEvaluator.evaluate(policy, error: nil, failures: failures, globalMaxRetries: globalMaxRetries)) }
        if error.kind == .preempted || error.kind == .leaseReturned {
            // Reach the engine only through a rule that names them; never the default action.
            guard let rule = RetryEvaluator.firstMatchingRule(policy, error),
                  policy.rules[rule].onConditions.contains(error.condition?.rawValue ?? "") else {
                return .legacy("no rule names \(error.condition?.rawValue ?? "")")
            }
        }
        return .decided(policy: name, RetryEvaluator.evaluate(policy, error: error, failures: failures, globalMaxRetries: globalMaxRetries))
    }
}
