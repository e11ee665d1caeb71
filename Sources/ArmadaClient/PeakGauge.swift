import Synchronization

/// The highest value observed, from any thread (diagnostics: a transport's peak buffered bytes).
public final class PeakGauge: Sendable {
    private let peak = Atomic<Int>(0)

    public init() {}

    public func observe(_ value: Int) {
        var current = peak.load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = peak.compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    public var value: Int { peak.load(ordering: .relaxed) }
}
