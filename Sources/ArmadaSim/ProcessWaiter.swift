import Foundation
import Synchronization

/// Runs a `Process` (Foundation makes it the leader of its own process group) to its end:
/// cancellation sends SIGTERM to the group and SIGKILL after the grace period; a deadline does
/// the same and is reported; OOM kills are read from the run's memory cgroup.
enum ProcessWaiter {
    struct Outcome: Sendable {
        var exitCode: Int32
        var oomKilled: Bool
        var deadlineExceeded: Bool
    }

    static func run(_ process: Process, grace: Double, deadline: ContinuousClock.Instant?, cgroup: String?) async -> Outcome {
        let (exits, exitContinuation) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { p in
            // Kubernetes reports a signalled container as 128 + signal.
            exitContinuation.yield(p.terminationReason == .uncaughtSignal ? 128 + p.terminationStatus : p.terminationStatus)
            exitContinuation.finish()
        }
        do {
            try process.run()
        } catch {
            return Outcome(exitCode: 128, oomKilled: false, deadlineExceeded: false)
        }
        let pid = process.processIdentifier
        running.withLock { _ = $0.insert(pid) }
        defer { running.withLock { _ = $0.remove(pid) } }
        let timedOut = Flag()
        let waiter = Task<Int32, Never> {
            for await code in exits { return code }
            return 137
        }
        let watchdog = deadline.map { deadline in
            Task {
                try? await Task.sleep(until: deadline)
                guard !Task.isCancelled else { return }
                timedOut.set()
                await stop(pid, grace: grace)
            }
        }
        let code = await withTaskCancellationHandler {
            await waiter.value
        } onCancel: {
            Task { await stop(pid, grace: grace) }
        }
        watchdog?.cancel()
        let oom = cgroup.map(HostIsolation.oomKilled) ?? false
        return Outcome(exitCode: code, oomKilled: oom, deadlineExceeded: timedOut.isSet)
    }

    /// Process groups of the runs under way, for `killAll`.
    static let running = Mutex<Set<Int32>>([])

    /// SIGKILL to every run's process group (a forced exit: nothing must outlive the simulator).
    static func killAll() {
        for pid in running.withLock({ $0 }) { kill(-pid, SIGKILL) }
    }

    /// SIGTERM to the process group, SIGKILL after `grace` seconds if anything is left.
    static func stop(_ pid: Int32, grace: Double) async {
        kill(-pid, SIGTERM)
        if grace > 0 { try? await Task.sleep(for: .nanoseconds(Int64(min(grace, 3600) * 1e9))) }
        kill(-pid, SIGKILL)
    }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
