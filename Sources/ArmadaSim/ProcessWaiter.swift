import Foundation
import Synchronization

/// Starts a child (the leader of its own process group, see `SandboxLauncher`) and runs it to its end:
/// cancellation sends SIGTERM to the group and SIGKILL after the grace period; a deadline does
/// the same and is reported; OOM kills are read from the run's memory cgroup.
enum ProcessWaiter {
    struct Outcome: Sendable {
        var exitCode: Int32
        var oomKilled: Bool
        var deadlineExceeded: Bool
    }

    /// Starts a child (its setup and exec, see `SandboxPlan`).
    static func start(_ spawn: SandboxLauncher.Spawn) async -> Result<SandboxLauncher.Child, SandboxLauncher.SpawnError> {
        await SandboxLauncher.shared.start(spawn)
    }

    /// Waits for a started child's end.
    static func run(_ child: SandboxLauncher.Child, grace: Double, deadline: ContinuousClock.Instant?, cgroup: String?) async -> Outcome {
        let timedOut = Flag()
        let watchdog = deadline.map { deadline in
            Task {
                try? await Task.sleep(until: deadline)
                guard !Task.isCancelled else { return }
                timedOut.set()
                await stop(child, grace: grace)
            }
        }
        let code = await withTaskCancellationHandler {
            await SandboxLauncher.shared.exitCode(child)
        } onCancel: {
            Task { await stop(child, grace: grace) }
        }
        watchdog?.cancel()
        let oom = await PodIO.run { cgroup.map(HostIsolation.oomKilled) ?? false }
        return Outcome(exitCode: code, oomKilled: oom, deadlineExceeded: timedOut.isSet)
    }

    /// SIGKILL to every run (a forced exit: nothing must outlive the simulator).
    static func killAll() {
        SandboxLauncher.shared.killAll()
    }

    /// SIGTERM to the process group, SIGKILL after `grace` seconds if anything is left.
    static func stop(_ child: SandboxLauncher.Child, grace: Double) async {
        SandboxLauncher.shared.signal(child, SIGTERM)
        if grace > 0 { try? await Task.sleep(for: Duration.clamped(seconds: min(grace, 3600))) }
        SandboxLauncher.shared.signal(child, SIGKILL)
    }
}

/// A thread-safe one-way flag.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
