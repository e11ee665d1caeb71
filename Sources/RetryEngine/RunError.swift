/// What went wrong with one run, as the scheduler's retry engine sees it.
public struct RunError: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The pod failed (exit code, OOM, eviction, deadline …).
        case podError
        /// The run was preempted (by the API or the scheduler).
        case preempted
        /// The executor handed the lease back (pod could not be created or started).
        case leaseReturned
        /// The executor stopped heartbeating.
        case leaseExpired
    }

    /// A container that terminated with a non-zero exit code.
    public struct ContainerError: Sendable, Hashable {
        public var name: String
        public var exitCode: Int32
        public var terminationMessage: String
        /// Kubernetes' terminated reason: `Error`, `OOMKilled`, `StartError`.
        public var reason: String

        public init(name: String, exitCode: Int32, terminationMessage: String = "", reason: String = "Error") {
            self.name = name
            self.exitCode = exitCode
            self.terminationMessage = terminationMessage
            self.reason = reason
        }
    }

    public var kind: Kind
    /// The run's failure message (the pod message for pod errors).
    public var message: String
    /// For pod errors: the Kubernetes condition (`OOMKilled`, `Evicted`, `DeadlineExceeded`, or `AppError`).
    public var podCondition: RetryCondition?
    public var containers: [ContainerError]
    public var category: String
    public var subcategory: String

    public init(kind: Kind, message: String = "", podCondition: RetryCondition? = nil, containers: [ContainerError] = [],
                category: String = "", subcategory: String = "") {
        self.kind = kind
        self.message = message
        self.podCondition = podCondition
        self.containers = containers
        self.category = category
        self.subcategory = subcategory
    }

    /// The condition the `onConditions` matcher compares (PR #4804): the pod's Kubernetes reason,
    /// `Preempted` or `LeaseReturned`; none for lease expiry.
    public var condition: RetryCondition? {
        switch kind {
        case .podError: podCondition
        case .preempted: .preempted
        case .leaseReturned: .leaseReturned
        case .leaseExpired: nil
        }
    }

    /// The first non-zero container exit code, 0 when there is none.
    public var exitCode: Int32 { containers.first { $0.exitCode != 0 }?.exitCode ?? 0 }

    /// The first non-empty termination message; only pod errors carry one.
    public var terminationMessage: String {
        guard kind == .podError else { return "" }
        return containers.first { !$0.terminationMessage.isEmpty }?.terminationMessage ?? ""
    }

    /// HEAD's "Final run error" detail: the run message, then one line per container error.
    public var finalRunErrorDetail: String {
        var lines: [String] = []
        if !message.isEmpty { lines.append(message) }
        for c in containers { lines.append("\(c.name) exited with code \(c.exitCode): \(c.terminationMessage)") }
        return lines.joined(separator: "\n")
    }
}
