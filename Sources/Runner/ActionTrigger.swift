import ArmadaAPI

/// Fires the test's action once every distinct job has produced the trigger event (§2.9); a
/// retryable `failed` counts for trigger `failed`.
public struct ActionTrigger: Sendable {
    public let trigger: EventType
    private var waiting: Set<String>
    public private(set) var fired = false

    public init(trigger: EventType, jobIds: some Sequence<String>) {
        self.trigger = trigger
        self.waiting = Set(jobIds)
    }

    /// True exactly once: when the last job reaches the trigger.
    public mutating func consume(_ event: EventMessage) -> Bool {
        guard !fired, event.type == trigger, waiting.remove(event.jobId) != nil, waiting.isEmpty else { return false }
        fired = true
        return true
    }
}
