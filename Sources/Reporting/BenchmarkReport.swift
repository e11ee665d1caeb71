import Runner

/// Latency percentiles of the job state transitions (queued→leased, leased→running,
/// running→terminal) over the jobs of one test or of the whole run, from the server's event times.
public struct BenchmarkReport: Sendable, Equatable {
    public struct Stats: Sendable, Equatable {
        public var count: Int
        /// Seconds.
        public var min: Double, mean: Double, p50: Double, p90: Double, p99: Double, max: Double

        /// Nearest-rank percentiles of the samples (in seconds); nil when there are none.
        public init?(_ samples: [Double]) {
            guard !samples.isEmpty else { return nil }
            let sorted = samples.sorted()
            func rank(_ p: Double) -> Double { sorted[Swift.max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
            count = sorted.count
            min = sorted[0]
            max = sorted[sorted.count - 1]
            mean = sorted.reduce(0, +) / Double(sorted.count)
            p50 = rank(0.5)
            p90 = rank(0.9)
            p99 = rank(0.99)
        }
    }

    public var transitions: [(Transition, Stats)]

    public init(jobs: some Sequence<JobTimeline>) {
        var samples: [Transition: [Double]] = [:]
        for job in jobs {
            for (transition, duration) in job.transitions { samples[transition, default: []].append(duration.seconds) }
        }
        transitions = Transition.allCases.compactMap { t in Stats(samples[t] ?? []).map { (t, $0) } }
    }

    public init(results: [TestResult]) { self.init(jobs: results.lazy.flatMap(\.jobs)) }

    public var isEmpty: Bool { transitions.isEmpty }

    public static func == (a: BenchmarkReport, b: BenchmarkReport) -> Bool {
        a.transitions.map(\.0) == b.transitions.map(\.0) && a.transitions.map(\.1) == b.transitions.map(\.1)
    }

    /// One line per transition: `queued→leased  n=20  p50 12ms  p90 30ms  p99 41ms  max 41ms`.
    public func render() -> [String] {
        transitions.map { t, s in
            "\(t.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) n=\(s.count)  p50 \(Self.ms(s.p50))  "
                + "p90 \(Self.ms(s.p90))  p99 \(Self.ms(s.p99))  max \(Self.ms(s.max))"
        }
    }

    static func ms(_ seconds: Double) -> String { Duration.seconds(seconds).short }
}
