import Dispatch
import Foundation
import Synchronization

/// SIGINT/SIGTERM handling for a run: the first signal is delivered to `firstSignal()` (the caller
/// cancels the run, whose cleanups still run); a second one calls `onSecond` at once, from the
/// signal handler's queue, which should report what is left behind and exit.
public final class InterruptMonitor: @unchecked Sendable {
    // Immutable after init; the sources only need to stay alive.
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Int32>
    private let count = Counter()

    private final class Counter: Sendable {
        private let value = Mutex(0)
        func increment() -> Int {
            value.withLock { v in
                v += 1
                return v
            }
        }
        var current: Int { value.withLock { $0 } }
    }

    public init(signals: [Int32] = [SIGINT, SIGTERM], onSecond: @escaping @Sendable (Int32) -> Void) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.stream = stream
        var sources: [any DispatchSourceSignal] = []
        let count = self.count
        for number in signals {
            signal(number, SIG_IGN) // the default action would end the process before the source sees it
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 { continuation.yield(number) } else { onSecond(number) }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Waits for the first signal; nil when the waiting task is cancelled first.
    public func firstSignal() async -> Int32? {
        for await number in stream { return number }
        return nil
    }

    /// Whether a signal has arrived.
    public var interrupted: Bool { count.current > 0 }

    deinit {
        for source in sources { source.cancel() }
    }
}
