import Foundation
import Synchronization

/// Runs a child (the leader of its own process group, see `ChildReaper`) to its end:
/// cancellation sends SIGTERM to the group and SIGKILL after the grace period; a deadline does
/// the same and is reported; OOM kills are read from the run's memory cgroup.
enum ProcessWaiter {
    struct Outcome: Sendable {
        var exitCode: Int32
        var oomKilled: Bool
        var deadlineExceeded: Bool
    }

    static func run(_ spawn: ChildReaper.Spawn, grace: Double, deadline: ContinuousClock.Instant?, cgroup: String?) async -> Outcome {
        let started = await PodIO.run { () -> ChildReaper.Child? in try? ChildReaper.shared.start(spawn) }
        guard let child = started else {
            return Outcome(exitCode: 128, oomKilled: false, deadlineExceeded: false)
        }
        let pid = child.pid
        running.withLock { _ = $0.insert(pid) }
        defer { running.withLock { _ = $0.remove(pid) } }
        let timedOut = Flag()
        let watchdog = deadline.map { deadline in
            Task {
                try? await Task.sleep(until: deadline)
                guard !Task.isCancelled else { return }
                timedOut.set()
                await stop(pid, grace: grace)
            }
        }
        let code = await withTaskCancellationHandler {
            await ChildReaper.shared.exitCode(child)
        } onCancel: {
            Task { await stop(pid, grace: grace) }
        }
        watchdog?.cancel()
        let oom = await PodIO.run { cgroup.map(HostIsolation.oomKilled) ?? false }
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
        if grace > 0 { try? await Task.sleep(for: Duration.clamped(seconds: min(grace, 3600))) }
        kill(-pid, SIGKILL)
    }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
