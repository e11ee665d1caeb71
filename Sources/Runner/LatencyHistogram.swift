/// Latencies in constant memory: exact count, min, max and mean, and log-linear buckets (64 per
/// power of two, so a percentile is within about 1% of the true value) for the percentiles. Merges
/// across jobs and tests. Pure value.
public struct LatencyHistogram: Sendable, Hashable {
    public private(set) var count = 0
    private var minNanos = Int64.max
    private var maxNanos: Int64 = 0
    private var sumNanos: Double = 0
    private var buckets: [Int: Int] = [:]

    static let subBuckets = 64

    public init() {}

    public init(_ samples: some Sequence<Duration>) {
        for s in samples { record(s) }
    }

    public mutating func record(_ duration: Duration) {
        let nanos = Swift.max(0, duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        count += 1
        minNanos = Swift.min(minNanos, nanos)
        maxNanos = Swift.max(maxNanos, nanos)
        sumNanos += Double(nanos)
        buckets[Self.bucket(nanos), default: 0] += 1
    }

    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        count += other.count
        minNanos = Swift.min(minNanos, other.minNanos)
        maxNanos = Swift.max(maxNanos, other.maxNanos)
        sumNanos += other.sumNanos
        buckets.merge(other.buckets, uniquingKeysWith: +)
    }

    public var isEmpty: Bool { count == 0 }
    public var min: Duration { .nanoseconds(count == 0 ? 0 : minNanos) }
    public var max: Duration { .nanoseconds(maxNanos) }
    /// The mean lies between the recorded minimum and maximum; it is kept there, because latencies
    /// come from the server's timestamps and the sum's rounding could otherwise leave Int64's range.
    public var mean: Duration {
        guard count > 0 else { return .zero }
        let nanos = sumNanos / Double(count)
        guard nanos > Double(minNanos) else { return min }
        guard nanos < Double(maxNanos) else { return max }
        return .nanoseconds(Int64(nanos))
    }

    /// The nearest-rank percentile (`p` in 0…1): the middle of the bucket holding that rank,
    /// kept within the exact min and max.
    public func percentile(_ p: Double) -> Duration {
        guard count > 0 else { return .zero }
        // p within 0…1 keeps the rank within 1…count.
        let fraction = p.isNaN ? 1 : Swift.min(Swift.max(p, 0), 1)
        let rank = Swift.max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for key in buckets.keys.sorted() {
            seen += buckets[key]!
            if seen >= rank {
                // The extremes are known exactly; within their buckets they are the best estimate.
                if key == Self.bucket(minNanos) { return min }
                if key == Self.bucket(maxNanos) { return max }
                let (low, high) = Self.range(key)
                let mid = low + (high - low) / 2
                return .nanoseconds(Swift.min(Swift.max(mid, minNanos), maxNanos))
            }
        }
        return max
    }

    /// Values below 64 ns have a bucket each; above, each power of two splits into 64 buckets.
    static func bucket(_ nanos: Int64) -> Int {
        guard nanos >= Int64(subBuckets) else { return Int(nanos) }
        let exponent = 63 - nanos.leadingZeroBitCount // ≥ 6
        let shift = exponent - 6
        let sub = Int((nanos >> shift) & Int64(subBuckets - 1))
        return subBuckets + (exponent - 6) * subBuckets + sub
    }

    /// The values a bucket holds, [low, high].
    static func range(_ bucket: Int) -> (Int64, Int64) {
        guard bucket >= subBuckets else { return (Int64(bucket), Int64(bucket)) }
        let exponent = (bucket - subBuckets) / subBuckets + 6
        let sub = Int64((bucket - subBuckets) % subBuckets)
        let shift = exponent - 6
        let low = (Int64(subBuckets) + sub) << shift
        return (low, low + (Int64(1) << shift) - 1)
    }
}
