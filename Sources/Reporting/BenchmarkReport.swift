import Runner

/// Latency percentiles of the job state transitions (queued→leased, leased→running,
/// running→terminal) over the jobs of one test or of the whole run, from the server's event times.
public struct BenchmarkReport: Sendable, Equatable {
    public struct Stats: Sendable, Equatable {
        public var count: Int
        /// Seconds; min, max and mean exact, percentiles within about 1%.
        public var min: Double, mean: Double, p50: Double, p90: Double, p99: Double, max: Double

        public init?(_ histogram: LatencyHistogram) {
            guard !histogram.isEmpty else { return nil }
            count = histogram.count
            min = histogram.min.seconds
            max = histogram.max.seconds
            mean = histogram.mean.seconds
            p50 = histogram.percentile(0.5).seconds
            p90 = histogram.percentile(0.9).seconds
            p99 = histogram.percentile(0.99).seconds
        }
    }

    public var transitions: [(Transition, Stats)]

    public init(latencies: [Transition: LatencyHistogram]) {
        transitions = Transition.allCases.compactMap { t in latencies[t].flatMap(Stats.init).map { (t, $0) } }
    }

    /// Every test's latencies together.
    public init(results: [TestResult]) {
        var merged: [Transition: LatencyHistogram] = [:]
        for r in results {
            for (t, h) in r.latencies { merged[t, default: LatencyHistogram()].merge(h) }
        }
        self.init(latencies: merged)
    }

    public var isEmpty: Bool { transitions.isEmpty }

    public static func == (a: BenchmarkReport, b: BenchmarkReport) -> Bool {
        a.transitions.map(\.0) == b.transitions.map(\.0) && a.transitions.map(\.1) == b.transitions.map(\.1)
    }

    /// One line per transition: `queued→leased  n=20  p50 12ms  p90 30ms  p99 41ms  max 41ms`.
    public func render() -> [String] {
        transitions.map { t, s in
            let short = { (seconds: Double) in Duration.seconds(seconds).short }
            return "\(t.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) n=\(s.count)  p50 \(short(s.p50))  "
                + "p90 \(short(s.p90))  p99 \(short(s.p99))  max \(short(s.max))"
        }
    }
}
