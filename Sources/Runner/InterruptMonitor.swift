import CShims
import Foundation
import Synchronization

/// SIGINT/SIGTERM for the whole process, installed as the process starts (`Main` touches
/// `shared` first), so that no signal is lost or takes the default action once `main` runs:
/// a handler writes each signal to a pipe (`cshims_signal_pipe`) and a thread of this monitor
/// reads it. The first signal is delivered to every `firstSignal()` waiter, also one that starts
/// waiting later (a run that is still starting up sees it when it gets there); each further
/// signal calls the current `onSecondSignal` handler at once, from the monitor's thread, which
/// should report what is left behind and exit (by default the process exits 130). Until a
/// command says it handles interrupts (`start(handlingSignals: true)`), any signal exits 130 at once.
public final class InterruptMonitor: Sendable {
    public static var shared: InterruptMonitor { start(handlingSignals: false) }

    private static let instance = Mutex<InterruptMonitor?>(nil)

    /// Installs the handlers (once per process) and returns the monitor. With `handlingSignals`,
    /// the command handles the first signal itself from the start, so
    /// none can end it before it is ready.
    public static func start(handlingSignals: Bool) -> InterruptMonitor {
        instance.withLock { existing in
            if let existing {
                if handlingSignals { existing.handleSignals() }
                return existing
            }
            let monitor = InterruptMonitor(signals: [SIGINT, SIGTERM], handled: handlingSignals)
            existing = monitor
            return monitor
        }
    }

    private struct State {
        var count = 0
        var handled = false
        var first: Int32?
        var waiters: [UInt64: CheckedContinuation<Int32?, Never>] = [:]
        var nextWaiter: UInt64 = 0
        var onSecond: @Sendable (Int32) -> Void = { _ in exit(130) }
    }

    private let state: Mutex<State>

    private init(signals: [Int32], handled: Bool) {
        var initial = State()
        initial.handled = handled
        state = Mutex(initial)
        // Where the platform allows no handler (-1), signals keep their default action.
        let fd = signals.withUnsafeBufferPointer { cshims_signal_pipe($0.baseAddress, Int32($0.count)) }
        guard fd >= 0 else { return }
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while true {
                let n = read(fd, &byte, 1)
                if n == 1 { deliver(Int32(byte)) } else if n < 0, errno != EINTR { return }
            }
        }
        thread.name = "interrupt monitor"
        thread.start()
    }

    private func deliver(_ signal: Int32) {
        let (waiters, second) = state.withLock { s -> ([CheckedContinuation<Int32?, Never>], (@Sendable (Int32) -> Void)?) in
            s.count += 1
            guard s.handled else { return ([], { _ in exit(130) }) }
            guard s.count == 1 else { return ([], s.onSecond) }
            s.first = signal
            let waiting = Array(s.waiters.values)
            s.waiters.removeAll()
            return (waiting, nil)
        }
        for waiter in waiters { waiter.resume(returning: signal) }
        second?(signal)
    }

    /// From now on the first signal is delivered to `firstSignal()` waiters instead of exiting.
    private func handleSignals() {
        state.withLock { $0.handled = true }
    }

    /// What a second (and every further) signal does; replaces the previous handler.
    public func onSecondSignal(_ handler: @escaping @Sendable (Int32) -> Void) {
        state.withLock { $0.onSecond = handler }
    }

    /// Waits for the first signal, or returns it at once if it already came; nil when the waiting
    /// task is cancelled first.
    public func firstSignal() async -> Int32? {
        let id = state.withLock { s in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now: Int32?? = state.withLock { s in
                    if let first = s.first { return .some(first) }
                    if Task.isCancelled { return .some(nil) }
                    s.waiters[id] = continuation
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// Whether a signal has arrived.
    public var interrupted: Bool { state.withLock { $0.count > 0 } }


    /// Runs `body` until it ends or the first signal arrives, which cancels it; nil when a signal
    /// came first (also before `body` started).
    public func unlessInterrupted<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        if interrupted { return nil }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                _ = await self.firstSignal()
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return interrupted ? nil : first
        }
    }
}
