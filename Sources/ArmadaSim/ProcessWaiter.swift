import Foundation
import Synchronization

/// Runs a started child (the leader of its own process group, see `SandboxLauncher`) to its end:
/// cancellation sends SIGTERM to the group and SIGKILL after the grace period; a deadline does
/// the same and is reported; OOM kills are read from the run's memory cgroup.
enum ProcessWaiter {
    struct Outcome: Sendable {
        var exitCode: Int32
        var oomKilled: Bool
        var deadlineExceeded: Bool
    }

    /// Waits for a started child's end.
    static func run(_ child: SandboxLauncher.Child, of launcher: SandboxLauncher, grace: Double, deadline: ContinuousClock.Instant?,
                    cgroup: String?) async -> Outcome {
        let timedOut = Flag()
        let watchdog = deadline.map { deadline in
            Task {
                try? await Task.sleep(until: deadline)
                guard !Task.isCancelled else { return }
                timedOut.set()
                await stop(child, of: launcher, grace: grace)
            }
        }
        let code = await withTaskCancellationHandler {
            await launcher.exitCode(child)
        } onCancel: {
            Task { await stop(child, of: launcher, grace: grace) }
        }
        watchdog?.cancel()
        let oom = await PodIO.run { cgroup.map(HostIsolation.oomKilled) ?? false }
        return Outcome(exitCode: code, oomKilled: oom, deadlineExceeded: timedOut.isSet)
    }

    /// SIGTERM to the process group, SIGKILL after `grace` seconds if anything is left.
    static func stop(_ child: SandboxLauncher.Child, of launcher: SandboxLauncher, grace: Double) async {
        launcher.signal(child, SIGTERM)
        if grace > 0 { try? await Task.sleep(for: Duration.clamped(seconds: min(grace, 3600))) }
        launcher.signal(child, SIGKILL)
    }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
