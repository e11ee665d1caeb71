import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import RetryEngine
import Runner
import TestFixtures

/// Every benchmark of `make bench`, against one in-process simulator (model runtime, zero step
/// times); the runner's side runs in child processes so its memory is measured alone.
struct Benchmarks {
    /// 1 for the full figures; less for a quick smoke run.
    var scale: Double

    var jobs: Int { Int(10_000 * scale) }
    static let retries = 24 // 25 runs per job: submitted, queued, 25 × (leased, pending, running, failed)

    static func config() -> SimConfig {
        let nodes = (1...4).map { SimConfig.Node(name: "bench-node-\($0)", cpu: 100_000, memory: 1e15) }
        let policy = RetryPolicy(name: "bench-retry", retryLimit: UInt32(retries), defaultAction: .fail,
                                 rules: [RetryRule(action: .retry, onExitCodes: ExitCodeMatcher(operator: .in, values: [1]))])
        let short = RetryPolicy(name: "bench-retry-1", retryLimit: 1, defaultAction: .fail,
                                rules: [RetryRule(action: .retry, onExitCodes: ExitCodeMatcher(operator: .in, values: [1]))])
        return SimConfig(nodes: nodes, timings: .instant,
                         queues: SimConfig.e2eQueues + [Queue(name: "bench", priorityFactor: 1, retryPolicies: ["bench-retry"]),
                                                        Queue(name: "bench-short", priorityFactor: 1, retryPolicies: ["bench-retry-1"])],
                         retryPolicies: [SimConfig.e2eRetryPolicy, policy, short], globalMaxRetries: retries + 1)
    }

    static func job(_ script: String) -> JobSubmitRequestItem {
        let resources: JSONValue = .object([.init("cpu", .string("10m")), .init("memory", .string("1Mi"))])
        return JobSubmitRequestItem(namespace: "default", podSpec: .object([
            .init("restartPolicy", .string("Never")),
            .init("containers", .array([.object([
                .init("name", .string("c")), .init("image", .string("alpine")),
                .init("command", .array([.string("sh"), .string("-c"), .string(script)])),
                .init("resources", .object([.init("requests", resources), .init("limits", resources)])),
            ])])),
        ]))
    }

    /// A new temporary directory `armada-bench-<name>-<uuid>` (the caller removes it).
    static func scratch(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "armada-bench-\(name)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `body` against the bench simulator, served on a loopback port.
    func withSimulator<T: Sendable>(_ body: @Sendable (Simulator, URL, ArmadaRESTClient) async throws -> T) async throws -> T {
        let simulator = Simulator(config: Self.config(), runtime: ModelRuntime())
        return try await SimServer.withRunning(simulator) { port in
            let url = URL(string: "http://127.0.0.1:\(port)")!
            return try await body(simulator, url, ArmadaRESTClient(baseURL: url))
        }
    }

    func run() async throws -> BenchTable {
        var table = try await withSimulator { simulator, url, client in
            var table = BenchTable()
            try await simulatorThroughput(client, simulator, &table)
            try await stream(client, simulator, url, &table)
            try await endToEnd(url, &table)
            try await htmlReport(url, &table)
            return table
        }
        try await loader(&table)
        // In a process of its own: not sharing a heap, threads and caches grown by the rows before.
        let process = try await Subprocess.run(CommandLine.arguments[0], ["process", "--rows"] + (scale < 1 ? ["--quick"] : []))
        guard process.status == 0 else { throw BenchError("the process runtime benchmark failed with status \(process.status)") }
        table.merge(lines: process.stdout)
        return table
    }

    /// Only the HTML report benchmark.
    func htmlOnly() async throws -> BenchTable {
        try await withSimulator { _, url, _ in
            var table = BenchTable()
            try await htmlReport(url, &table)
            return table
        }
    }

    /// Only the simulator benchmark.
    func simulatorOnly() async throws -> BenchTable {
        try await withSimulator { simulator, _, client in
            var table = BenchTable()
            try await simulatorThroughput(client, simulator, &table)
            return table
        }
    }

    /// The stream benchmark's job set, served until the process is killed (for profiling the runner).
    func serveStream() async throws {
        try await withSimulator { simulator, url, client in
            let ids = try await submit(client, queue: "bench", jobSet: "stream-big", script: "exit 1", count: jobs)
            await drain(simulator)
            let file = NSTemporaryDirectory() + "armada-bench-stream.ids"
            try ids.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
            FileHandle.standardOutput.write(Data("\(CommandLine.arguments[0]) watch \(url.absoluteString) bench stream-big \(file)\n".utf8))
            try await Task.sleep(for: .seconds(86_400))
        }
    }

    /// Submits `count` jobs in batches of 500 and returns their ids.
    func submit(_ client: ArmadaRESTClient, queue: String, jobSet: String, script: String, count: Int) async throws -> [String] {
        var ids: [String] = []
        let item = Self.job(script)
        while ids.count < count {
            let n = min(500, count - ids.count)
            let response = try await client.submitJobs(JobSubmitRequest(queue: queue, jobSetId: jobSet,
                                                                        jobRequestItems: Array(repeating: item, count: n)))
            ids += response.jobResponseItems.map(\.jobId)
        }
        return ids
    }

    /// Follows the simulator's event log until no job is active.
    func drain(_ simulator: Simulator) async {
        await simulator.waitUntilIdle()
    }

    func simulatorThroughput(_ client: ArmadaRESTClient, _ simulator: Simulator, _ table: inout BenchTable) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        _ = try await submit(client, queue: "e2e-test-queue", jobSet: "sim-throughput", script: "exit 0", count: jobs)
        await drain(simulator)
        let rate = Double(jobs) / (clock.now - start).seconds
        table.add("simulator", "\(jobs) jobs submitted (batches of 500) and run to terminal", "\(rate.grouped) jobs/s",
                  target: "≥ 20 000 jobs/s", met: rate >= 20_000)
    }

    func stream(_ client: ArmadaRESTClient, _ simulator: Simulator, _ url: URL, _ table: inout BenchTable) async throws {
        let dir = try Self.scratch("run")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A job set of `jobs` jobs × 25 runs (≈ 100 events each), and one of `jobs` jobs × 2 runs.
        let clock = ContinuousClock()
        let start = clock.now
        let big = try await submit(client, queue: "bench", jobSet: "stream-big", script: "exit 1", count: jobs)
        let small = try await submit(client, queue: "bench-short", jobSet: "stream-small", script: "exit 1", count: jobs)
        await drain(simulator)
        let built = (clock.now - start).seconds
        for (name, ids) in [("big", big), ("small", small)] {
            try ids.joined(separator: "\n").write(toFile: "\(dir)/\(name).ids", atomically: true, encoding: .utf8)
        }
        let bench = CommandLine.arguments[0]
        let bigRun = try await WatchResult(Subprocess.run(bench, ["watch", url.absoluteString, "bench", "stream-big", "\(dir)/big.ids"]))
        let smallRun = try await WatchResult(Subprocess.run(bench, ["watch", url.absoluteString, "bench-short", "stream-small", "\(dir)/small.ids"]))
        let curl = try await Subprocess.run("/usr/bin/env", ["curl", "-sN", "-X", "POST", "-o", "/dev/null", "-d", #"{"watch":false}"#,
                                                             url.absoluteString + "/v1/job-set/bench/stream-big"])
        guard curl.status == 0 else { throw BenchError("curl failed with status \(curl.status)") }
        let curlRate = Double(bigRun.events) / curl.seconds
        table.add("stream", "job set: \(jobs) jobs, \(Double(bigRun.events).grouped) events (built in \(String(format: "%.1f", built)) s)", "")
        table.add("stream", "runner watch + decode + match", "\(bigRun.rate.grouped) events/s", target: "≥ 200 000 events/s",
                  met: bigRun.rate >= 200_000 && bigRun.satisfied)
        table.add("stream", "curl -sN on the same endpoint (transport limit)", "\(curlRate.grouped) events/s")
        let ratio = bigRun.rate / curlRate
        table.add("stream", "runner / curl", String(format: "%.2f", ratio), target: "≥ 0.5", met: ratio >= 0.5)
        table.add("memory", "runner peak RSS, \(jobs) jobs, \(Double(bigRun.events).grouped) events", Double(bigRun.peakRSS).megabytes,
                  target: "≤ 150 MB", met: bigRun.peakRSS <= 150 << 20)
        table.add("memory", "runner peak RSS, \(jobs) jobs, \(Double(smallRun.events).grouped) events", Double(smallRun.peakRSS).megabytes)
        table.notes.append("the runner's stream was re-opened \(bigRun.catchUps) time(s) to bound its buffer")
        if !bigRun.satisfied || !smallRun.satisfied { table.notes.append("the watch run's expectations were not met: \(bigRun.outcome)") }
    }

    func endToEnd(_ url: URL, _ table: inout BenchTable) async throws {
        let count = Int(1000 * scale)
        let dir = try Self.scratch("e2e")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        name: bench-e2e
        queue: e2e-test-queue
        numBatches: 1
        batchSize: \(count)
        timeout: 300s
        \(TestFixtures.jobsBlock(command: "exit 0", cpu: "10m", memory: "1Mi"))
        expectedEvents: [{submitted: }, {running: }, {succeeded: }]
        """.write(toFile: dir + "/e2e.yaml", atomically: true, encoding: .utf8)
        let run = try await Subprocess.run(Subprocess.sibling("testsuite"),
                                           ["test", "--tests", "e2e.yaml", "--rest-url", url.absoluteString, "--quiet", "--json", "r.json"],
                                           in: dir)
        let ended = Date()
        guard run.status == 0 else { throw BenchError("the end-to-end test case failed:\n\(run.stdout)") }
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/r.json"))) as? [String: Any]
        let test = (report?["tests"] as? [[String: Any]])?.first
        let times = ((test?["jobs"] as? [[String: Any]]) ?? []).compactMap { ($0["events"] as? [[String: Any]])?.last?["time"] as? String }
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        let lastTerminal = times.compactMap { try? iso.parse($0) }.max()
        table.add("end to end", "testsuite test, \(count)-job test case, total", String(format: "%.2f s", run.seconds))
        if let lastTerminal {
            table.add("end to end", "runner overhead after the last terminal event (to process exit)",
                      String(format: "%.0f ms", ended.timeIntervalSince(lastTerminal) * 1000))
        }
    }

    func loader(_ table: inout BenchTable) async throws {
        let count = Int(1000 * scale)
        let dir = try Self.scratch("loader")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for i in 0..<count {
            try """
            name: generated-\(i)
            queue: e2e-test-queue
            numBatches: \(1 + i % 3)
            batchSize: \(1 + i % 5)
            timeout: "\(60 + i)s"
            retryPolicies:
              - name: policy-\(i)
                retryLimit: \(i % 4)
                defaultAction: Fail
                rules:
                  - {action: Retry, onExitCodes: {operator: In, values: [\(i % 100 + 1), 42]}}
                  - {action: Retry, onConditions: [OOMKilled], onTerminationMessagePattern: "transient.*\(i)"}
            jobs:
              - namespace: default
                priority: \(i % 10)
                annotations: {test: "generated-\(i)"}
                podSpec:
                  restartPolicy: Never
                  containers:
                    - name: c\(i)
                      image: alpine:3.20.0
                      command: ["sh", "-c", "echo \(i); exit \(i % 2)"]
                      resources: {requests: {cpu: 100m, memory: 25Mi}, limits: {cpu: 100m, memory: 25Mi}}
            expectedEvents:
              - submitted:
              - failed: {retryable: true, reason: "exit code \(i % 2)"}
              - succeeded:
            """.write(toFile: "\(dir)/case_\(i).yaml", atomically: false, encoding: .utf8)
        }
        let run = try await Subprocess.run(Subprocess.sibling("testsuite"), ["validate", "--tests", dir, "--no-warnings"])
        guard run.status == 0 else { throw BenchError("validate failed:\n\(run.stdout.suffix(2000))") }
        let rate = Double(count) / run.seconds
        table.add("loader", "testsuite validate, \(count) generated files (process included)", "\(rate.grouped) files/s",
                  target: "≥ 2 000 files/s", met: rate >= 2000)
    }
}

/// What `armada-bench watch` printed.
struct WatchResult {
    var events: Int
    var seconds: Double
    var peakRSS: Int
    var satisfied: Bool
    var outcome: String
    var catchUps: Int
    var rate: Double { Double(events) / seconds }

    init(_ run: Subprocess) throws {
        guard run.status == 0, let line = run.stdout.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw BenchError("the watch child failed (status \(run.status)): \(run.stdout)")
        }
        events = object["events"] as? Int ?? 0
        seconds = object["seconds"] as? Double ?? 1
        peakRSS = object["peakRSS"] as? Int ?? 0
        satisfied = object["satisfied"] as? Bool ?? false
        outcome = object["outcome"] as? String ?? ""
        catchUps = object["catchUps"] as? Int ?? 0
    }
}
