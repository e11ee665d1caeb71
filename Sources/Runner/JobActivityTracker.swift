import ArmadaAPI

/// Tracks which jobs are still active (testcase-format §2.8): a job exits on its first
/// `succeeded`, `cancelled` or non-retryable `failed`; a retryable `failed` and `preempted` keep it
/// active. When every job has exited while expectations are unmet, the test can fail at once
/// instead of waiting for its timeout.
public struct JobActivityTracker: Sendable {
    private var active: Set<String>
    public private(set) var duplicates: [String] = []
    private var exited: Set<String> = []

    public init(jobIds: some Sequence<String>) { active = Set(jobIds) }

    public var allExited: Bool { active.isEmpty }
    public var activeCount: Int { active.count }

    /// Returns true when this event made the last active job exit.
    @discardableResult
    public mutating func consume(_ event: EventMessage) -> Bool {
        guard event.isTerminal else { return false }
        if exited.contains(event.jobId) {
            duplicates.append("duplicate \(event.type?.rawValue ?? event.typeName) event for job \(event.jobId)")
            return false
        }
        guard active.remove(event.jobId) != nil else { return false }
        exited.insert(event.jobId)
        return active.isEmpty
    }
}
