import Synchronization

/// Every cleanup that is registered but has not run yet, across all running tests, so that a
/// forced exit (second signal) can say what it leaves behind.
public final class CleanupLedger: Sendable {
    private struct State {
        var next = 0
        /// Token → (what, the index of the test that registered it).
        var pending: [Int: (description: String, owner: Int)] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func add(_ description: String, owner: Int = 0) -> Int {
        state.withLock { s in
            s.next += 1
            s.pending[s.next] = (description, owner)
            return s.next
        }
    }

    func remove(_ token: Int) {
        _ = state.withLock { $0.pending.removeValue(forKey: token) }
    }

    /// What would be left behind now, in registration order.
    public var outstanding: [String] {
        state.withLock { s in s.pending.sorted { $0.key < $1.key }.map(\.value.description) }
    }

    /// What the test at `index` would leave behind now, in registration order.
    public func outstanding(of index: Int) -> [String] {
        state.withLock { s in s.pending.filter { $0.value.owner == index }.sorted { $0.key < $1.key }.map(\.value.description) }
    }

    /// The end-of-run warning for cleanups that did not complete, or nil when there is nothing to
    /// say: on the embedded simulator nothing outlives the process, so nothing is left to delete.
    public func leftBehindWarning(embedded: Bool) -> String? {
        let left = outstanding
        guard !left.isEmpty, !embedded else { return nil }
        return "could not clean up (delete by hand): " + left.joined(separator: ", ")
    }

    /// What a second interrupt, which exits at once, leaves behind.
    public func secondInterruptNotice(embedded: Bool) -> String {
        let left = embedded ? [] : outstanding
        if left.isEmpty {
            return "second interrupt: exiting now, nothing left behind" + (embedded ? " (the embedded simulator ends with this process)" : "")
        }
        return "second interrupt: exiting now; left behind (delete by hand):\n" + left.map { "  " + $0 }.joined(separator: "\n")
    }
}
