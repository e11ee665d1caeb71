import ArmadaAPI
import RetryEngine

/// Everything the simulator can be told: fleet, timings, environment, retry engine, faults.
public struct SimConfig: Sendable {
    public struct Node: Sendable, Hashable {
        public var name: String
        /// CPU in cores and memory in bytes.
        public var cpu: Double
        public var memory: Double
        public var labels: [String: String]
        /// `key=value:Effect` taints; pods need a matching toleration.
        public var taints: [Taint]

        public init(name: String, cpu: Double = 8, memory: Double = 32 * 1_073_741_824, labels: [String: String] = [:],
                    taints: [Taint] = []) {
            self.name = name
            self.cpu = cpu
            self.memory = memory
            self.labels = labels
            self.taints = taints
        }
    }

    public struct Taint: Sendable, Hashable {
        public var key: String
        public var value: String
        public var effect: String
        public init(key: String, value: String, effect: String = "NoSchedule") {
            self.key = key
            self.value = value
            self.effect = effect
        }
    }

    /// Step times of the model, in simulated seconds (multiplied by `timeScale`).
    public struct Timings: Sendable, Hashable {
        public var cyclePeriod: Double
        public var leaseToPending: Double
        public var pendingToRunning: Double
        public var defaultWorkloadDuration: Double
        public var imagePullFailGrace: Double
        /// Real seconds per simulated second of the simulator's own waits (0.01 runs the 90 s
        /// image-pull grace in 0.9 s). Commands the process runtime runs take real time whatever it is.
        public var timeScale: Double

        /// `testsuite test`'s embedded simulator: a hundred times faster than Armada's timings.
        public static let embeddedTimeScale = 0.01

        public init(cyclePeriod: Double = 0.05, leaseToPending: Double = 0.05, pendingToRunning: Double = 0.05,
                    defaultWorkloadDuration: Double = 1, imagePullFailGrace: Double = 90, timeScale: Double = 1) {
            self.cyclePeriod = cyclePeriod
            self.leaseToPending = leaseToPending
            self.pendingToRunning = pendingToRunning
            self.defaultWorkloadDuration = defaultWorkloadDuration
            self.imagePullFailGrace = imagePullFailGrace
            self.timeScale = timeScale
        }

        /// Zero step times: as fast as the machine goes (load tests).
        public static let instant = Timings(cyclePeriod: 0.001, leaseToPending: 0, pendingToRunning: 0,
                                            defaultWorkloadDuration: 0, imagePullFailGrace: 0, timeScale: 1)

        func real(_ simulatedSeconds: Double) -> Duration {
            Duration.clamped(seconds: simulatedSeconds * timeScale)
        }

        /// Waits `simulatedSeconds` (scaled); returns at once for zero. Cancellation ends it early.
        func pause(_ simulatedSeconds: Double) async {
            let d = real(simulatedSeconds)
            guard d > .zero else { return }
            try? await Task.sleep(for: d)
        }
    }

    public var executorId: String
    public var pool: String
    public var nodes: [Node]
    public var namespaces: Set<String>
    public var priorityClasses: [String: Bool]  // name → preemptible
    public var timings: Timings
    public var queues: [Queue]
    public var retryPolicies: [RetryPolicy]
    public var retryEngineEnabled: Bool
    public var globalMaxRetries: Int
    public var defaultPolicyName: String
    /// Legacy `scheduling.maxRetries` (lease returns): `maxAttemptedRuns = maxRetries + 1`.
    public var maxRetries: Int
    public var categorizer: ErrorCategorizer
    /// Images that fail to pull (regex).
    public var unpullableImagePattern: String
    public var auth: SimAuth = SimAuth()
    /// Image rules tried before the built-in catalogue (`ImageCatalogue`), for the process runtime.
    public var images: [ImageRule] = []

    public init(executorId: String = "local-cluster", pool: String = "default",
                nodes: [Node] = [Node(name: "sim-node-1"), Node(name: "sim-node-2"),
                                 Node(name: "sim-node-ops", labels: ["armadaproject.io/node-pool": "node-ops"],
                                      taints: [Taint(key: "node-tests", value: "true")])],
                namespaces: Set<String> = ["default", "personal-anonymous"],
                priorityClasses: [String: Bool] = ["armada-default": false, "armada-preemptible": true],
                timings: Timings = Timings(), queues: [Queue] = SimConfig.e2eQueues,
                retryPolicies: [RetryPolicy] = [SimConfig.e2eRetryPolicy], retryEngineEnabled: Bool = true,
                globalMaxRetries: Int = 5, defaultPolicyName: String = "", maxRetries: Int = 3,
                categorizer: ErrorCategorizer = .e2e, unpullableImagePattern: String = "non-existing|does-not-exist") {
        self.executorId = executorId
        self.pool = pool
        self.nodes = nodes
        self.namespaces = namespaces
        self.priorityClasses = priorityClasses
        self.timings = timings
        self.queues = queues
        self.retryPolicies = retryPolicies
        self.retryEngineEnabled = retryEngineEnabled
        self.globalMaxRetries = globalMaxRetries
        self.defaultPolicyName = defaultPolicyName
        self.maxRetries = maxRetries
        self.categorizer = categorizer
        self.unpullableImagePattern = unpullableImagePattern
    }

    /// Lifecycle §8.3: the environment upstream's CI creates before the suites run.
    public static let e2eQueues = [
        Queue(name: "e2e-test-queue", priorityFactor: 1),
        Queue(name: "e2e-retry-queue", priorityFactor: 1, retryPolicies: ["e2e-retry-policy"]),
    ]

    public static let e2eRetryPolicy = RetryPolicy(name: "e2e-retry-policy", retryLimit: 2, defaultAction: .fail, rules: [
        RetryRule(action: .retry, onCategory: "user_error"),
        RetryRule(action: .retry, onCategory: "oom", mutate: RetryMutation(resources: RetryResourceMutation(memory: RetryResourceBump(factor: 2)))),
    ])
}
