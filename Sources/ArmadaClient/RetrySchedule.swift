/// Exponential backoff with jitter, bounded by a deadline: how the client retries idempotent
/// calls and rides out Armada's queue-cache lag after a queue is created.
public struct RetrySchedule: Sendable, Hashable {
    public var initialDelay: Duration
    public var multiplier: Double
    public var maxDelay: Duration
    /// Total time after the first attempt within which retries may start.
    public var deadline: Duration
    /// ± fraction of each delay chosen at random, so parallel tests do not retry in lockstep.
    public var jitter: Double

    public init(initialDelay: Duration = .milliseconds(250), multiplier: Double = 2, maxDelay: Duration = .seconds(5),
                deadline: Duration = .seconds(30), jitter: Double = 0.2) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.deadline = deadline
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = RetrySchedule(deadline: .zero)

    /// The delay before retry number `attempt` (1-based), with `unit` in [0, 1) choosing the jitter.
    public func delay(beforeRetry attempt: Int, unit: Double) -> Duration {
        let base = initialDelay.seconds * pow(multiplier, Double(max(0, attempt - 1)))
        let capped = min(base, maxDelay.seconds)
        let jittered = capped * (1 + jitter * (2 * unit - 1))
        return .nanoseconds(Int64(max(0, jittered) * 1e9))
    }
}

extension Duration {
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    for _ in 0..<Int(exponent) { result *= base }
    return result
}
