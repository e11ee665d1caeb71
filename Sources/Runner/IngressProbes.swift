import ArmadaClient
import Synchronization

/// The ingress probes of one run (testcase-format §2.10): one per address of each `ingressInfo`
/// event of the run's jobs, started as the event arrives. A test passes only once every probe
/// got HTTP 200 (`settled`); the first failed probe fails it at once (`failures`).
final class IngressProbes: Sendable {
    let probe: IngressProbe
    /// The first failure of each probe that failed.
    let failures: AsyncStream<String>
    private let sink: AsyncStream<String>.Continuation
    private let state = Mutex(State())

    private struct State {
        var tasks: [Task<String?, Never>] = []
        var probed: Set<String> = []
    }

    init(probe: IngressProbe) {
        self.probe = probe
        (failures, sink) = AsyncStream.makeStream()
    }

    /// Starts a probe per address not probed yet in this run.
    func start(_ addresses: [String]) {
        state.withLock { s in
            for address in addresses.sorted() where s.probed.insert(address).inserted {
                let probe = self.probe, sink = self.sink
                s.tasks.append(Task {
                    let failure = await probe.run(address).map { "ingress probe of \(address) failed: \($0)" }
                    if let failure { sink.yield(failure) }
                    return failure
                })
            }
        }
    }

    /// Waits for every probe started so far: nil when all got HTTP 200, else the first failure.
    func settled() async -> String? {
        let tasks = state.withLock { $0.tasks }
        var first: String?
        for task in tasks {
            if let failure = await task.value, first == nil { first = failure }
        }
        return first
    }

    /// Ends every probe and the failure stream (the run is over).
    func cancel() {
        for task in state.withLock({ $0.tasks }) { task.cancel() }
        sink.finish()
    }

    var count: Int { state.withLock { $0.probed.count } }
}
