import ArmadaAPI

/// `queueConfig`: create queues, optionally update them, assert on them and delete them (§1.7).
public struct QueueConfig: Sendable, Hashable {
    public var setup: QueueSetup
    public var update: Queue?
    public var assertions: [QueueAssertion]

    public init(setup: QueueSetup = QueueSetup(), update: Queue? = nil, assertions: [QueueAssertion] = []) {
        self.setup = setup
        self.update = update
        self.assertions = assertions
    }

    /// Whether teardown must check that every queue is gone.
    public var assertsDeletion: Bool { assertions.contains { $0.deleted } }
}

/// How many queues to create, how fast, and from which template.
public struct QueueSetup: Sendable, Hashable {
    /// As written; 0 means 1 (see `effectiveNumBatches`).
    public var numBatches: UInt32
    public var batchSize: UInt32
    public var interval: GoDuration
    public var queueSpec: Queue?

    public init(numBatches: UInt32 = 0, batchSize: UInt32 = 0, interval: GoDuration = .zero, queueSpec: Queue? = nil) {
        self.numBatches = numBatches
        self.batchSize = batchSize
        self.interval = interval
        self.queueSpec = queueSpec
    }

    public var effectiveNumBatches: UInt32 { max(1, numBatches) }
    public var effectiveBatchSize: UInt32 { max(1, batchSize) }
    public var queueCount: Int { SaturatingProduct.of(Int(effectiveNumBatches), Int(effectiveBatchSize)) }

    /// The most queues one test case may create (each is an API call and a cleanup).
    public static let maxQueues = 1_000
}

/// One entry of `queueConfig.assertions`; an entry may carry several checks.
public struct QueueAssertion: Sendable, Hashable {
    public var activeInPool: String?
    public var appearsInStream: Bool
    public var matches: Queue?
    public var deleted: Bool

    public init(activeInPool: String? = nil, appearsInStream: Bool = false, matches: Queue? = nil,
                deleted: Bool = false) {
        self.activeInPool = activeInPool
        self.appearsInStream = appearsInStream
        self.matches = matches
        self.deleted = deleted
    }

    public var isEmpty: Bool { activeInPool == nil && !appearsInStream && matches == nil && !deleted }
}
