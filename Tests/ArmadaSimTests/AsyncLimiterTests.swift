@testable import ArmadaSim
import Synchronization
import Testing

@Suite struct AsyncLimiterTests {
    /// Visitors that stay inside the limiter until the test lets them out, one by one.
    final class Probe: Sendable {
        let state = Mutex((now: 0, most: 0, held: [CheckedContinuation<Void, Never>]()))
        let entries: AsyncStream<Void>.Continuation
        let entered: AsyncStream<Void>

        init() { (entered, entries) = AsyncStream<Void>.makeStream() }

        func visit(_ limiter: AsyncLimiter, _ id: Int) async -> Int {
            await limiter.run {
                await withCheckedContinuation { continuation in
                    state.withLock { $0.now += 1; $0.most = max($0.most, $0.now); $0.held.append(continuation) }
                    entries.yield()
                }
                return id
            }
        }

        /// Lets the longest-held visitor out.
        func release() {
            let next = state.withLock { state in
                state.now -= 1
                return state.held.removeFirst()
            }
            next.resume()
        }

        var inside: Int { state.withLock { $0.held.count } }
    }

    @Test func atMostLimitCallersAreInsideAndEveryCallerGetsItsResult() async {
        let limiter = AsyncLimiter(limit: 3)
        let probe = Probe()
        await withTaskGroup(of: Int.self) { group in
            for id in 0..<10 { group.addTask { await probe.visit(limiter, id) } }
            var entered = probe.entered.makeAsyncIterator()
            for _ in 0..<3 { await entered.next() }
            #expect(probe.inside == 3) // the other seven wait outside
            for _ in 3..<10 {
                probe.release() // one leaves, its slot passes to the next
                await entered.next()
                #expect(probe.inside == 3)
            }
            for _ in 0..<3 { probe.release() }
            var results: [Int] = []
            for await id in group { results.append(id) }
            #expect(results.sorted() == Array(0..<10))
        }
        #expect(probe.state.withLock { $0.most } == 3)
    }
}
