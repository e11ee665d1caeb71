import Synchronization

/// At most `limit` callers inside `run` at once; the rest wait in arrival order. Cancellation does
/// not cut a wait short (the caller's work is short and must run to hand its resources back).
final class AsyncLimiter: Sendable {
    let limit: Int
    private let state = Mutex<(inside: Int, waiting: [CheckedContinuation<Void, Never>])>((0, []))

    init(limit: Int) { self.limit = max(1, limit) }

    func run<T: Sendable>(_ body: () async -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = state.withLock { state in
                guard state.inside < limit else {
                    state.waiting.append(continuation)
                    return false
                }
                state.inside += 1
                return true
            }
            if enter { continuation.resume() }
        }
        let result = await body()
        let next = state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.inside -= 1
                return nil as CheckedContinuation<Void, Never>?
            }
            return state.waiting.removeFirst() // the slot passes on
        }
        next?.resume()
        return result
    }
}
