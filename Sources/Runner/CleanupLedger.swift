import Synchronization

/// Every cleanup that is registered but has not run yet, across all running tests, so that a
/// forced exit (second signal) can say what it leaves behind.
public final class CleanupLedger: Sendable {
    private struct State {
        var next = 0
        var pending: [Int: String] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func add(_ description: String) -> Int {
        state.withLock { s in
            s.next += 1
            s.pending[s.next] = description
            return s.next
        }
    }

    func remove(_ token: Int) {
        _ = state.withLock { $0.pending.removeValue(forKey: token) }
    }

    /// What would be left behind now, in registration order.
    public var outstanding: [String] {
        state.withLock { s in s.pending.sorted { $0.key < $1.key }.map(\.value) }
    }
}
