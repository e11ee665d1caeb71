import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation

/// The process runtime's pod rate: `echo` pods run in their sandboxes (namespaces, copy-on-write
/// root, volumes, termination file) from submission to terminal, next to the host's bare
/// `unshare -m true` rate measured in the same run.
extension Benchmarks {
    var pods: Int { max(20, Int(1_000 * scale)) }

    func processRuntime(_ table: inout BenchTable) async throws {
        let runtime = ProcessRuntime(workRoot: ProcessInfo.processInfo.environment["BENCH_WORK_ROOT"] ?? ProcessRuntime.defaultWorkRoot)
        if let problem = runtime.startupProblem {
            table.notes.append("process runtime not measured: \(problem)")
            return
        }
        let bare = try await Self.unshareRate(count: max(20, Int(300 * scale)))
        var config = Self.config()
        config.nodes = (1...4).map { SimConfig.Node(name: "bench-node-\($0)", cpu: 100_000, memory: 1e15) }
        let simulator = Simulator(config: config, runtime: runtime)
        let rate = try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let item = JobSubmitRequestItem(namespace: "default", podSpec: .object([
                .init("restartPolicy", .string("Never")),
                .init("terminationGracePeriodSeconds", .number("0")),
                .init("containers", .array([.object([
                    .init("name", .string("c")), .init("image", .string("alpine")),
                    .init("command", .array([.string("echo"), .string("hello")])),
                    .init("resources", .object([.init("requests", .object([.init("cpu", .string("10m")), .init("memory", .string("1Mi"))]))])),
                ])])),
            ]))
            let clock = ContinuousClock()
            let start = clock.now
            var submitted = 0
            while submitted < pods {
                let n = min(500, pods - submitted)
                _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "process-rate",
                                                                 jobRequestItems: Array(repeating: item, count: n)))
                submitted += n
            }
            await drain(simulator)
            let counts = await simulator.jobCounts()
            guard counts["succeeded"] == pods else { throw BenchError("process runtime: not every echo pod succeeded: \(counts)") }
            return Double(pods) / (clock.now - start).seconds
        }
        runtime.shutdown()
        table.add("process runtime", "\(pods) echo pods submitted and run to terminal (sandboxed)", "\(rate.grouped) pods/s",
                  target: "≥ 300 pods/s", met: rate >= 300)
        table.add("process runtime", "bare unshare -m true, one after another (host limit)", "\(bare.grouped) /s")
    }

    /// `unshare -m true` started `count` times, one after another (posix_spawn and waitpid, as a
    /// shell loop would): processes per second.
    static func unshareRate(count: Int) async throws -> Double {
        let words: [String] = ["/usr/bin/unshare", "-m", "true"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<count {
            var pid: pid_t = 0, status: Int32 = 0
            let rc = posix_spawn(&pid, "/usr/bin/unshare", nil, nil, argv, environ)
            guard rc == 0 else { throw BenchError("posix_spawn unshare: \(String(cString: strerror(rc)))") }
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            guard status == 0 else { throw BenchError("unshare -m true failed with status \(status)") }
        }
        return Double(count) / (clock.now - start).seconds
    }
}
