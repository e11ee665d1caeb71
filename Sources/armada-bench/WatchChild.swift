import ArmadaAPI
import ArmadaClient
import Foundation
import Runner
import TestSpec

/// The runner's consumer loop in a process of its own, so its memory is measured alone: reads a
/// finished job set with `watch: false` through the client's watcher and feeds every event to the
/// expectation matcher, the activity tracker and the benchmark recorder, as a test run does.
/// Prints one JSON line: events, seconds, peak RSS, whether the expectations were met.
enum WatchChild {
    static func run(_ arguments: [String]) async throws {
        guard arguments.count == 4, let url = URL(string: arguments[0]) else {
            throw BenchError("usage: armada-bench watch URL QUEUE JOBSET IDS-FILE")
        }
        let (queue, jobSet) = (arguments[1], arguments[2])
        let ids = try String(contentsOfFile: arguments[3], encoding: .utf8).split(separator: "\n").map(String.init)
        let client = ArmadaRESTClient(baseURL: url)
        var consumer = BenchConsumer(jobIds: ids)
        let clock = ContinuousClock()
        let start = clock.now
        var events = 0
        let diagnostics = WatcherDiagnostics()
        let countOnly = ProcessInfo.processInfo.environment["BENCH_COUNT_ONLY"] != nil
        for try await message in JobSetWatcher(client: client, queue: queue, jobSetId: jobSet, options: .init(watch: false),
                                                diagnostics: diagnostics) {
            events += 1
            if !countOnly { consumer.consume(message) }
        }
        let seconds = (clock.now - start).seconds
        let (satisfied, outcome) = (consumer.satisfied, consumer.outcome)
        print(#"{"events":\#(events),"seconds":\#(seconds),"peakRSS":\#(Memory.peak),"satisfied":\#(satisfied),"outcome":"\#(outcome)","catchUps":\#(diagnostics.snapshot.catchUps)}"#)
    }
}
