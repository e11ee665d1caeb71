import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation

/// The process runtime's pod rate: `echo` pods run in their sandboxes (namespaces, copy-on-write
/// root, termination file) from submission to terminal, next to the host's bare `unshare -m true`
/// rate measured in the same run. `alpine` pods (a busybox root: one overlay, a static binary) are
/// the target's; `debian:12` pods (the host's root: six overlays, a dynamically linked echo) are
/// measured alongside.
extension Benchmarks {
    var pods: Int { max(20, Int(1_000 * scale)) }

    func processRuntime(_ table: inout BenchTable) async throws {
        let runtime = ProcessRuntime(workRoot: ProcessInfo.processInfo.environment["BENCH_WORK_ROOT"] ?? ProcessRuntime.defaultWorkRoot)
        if let problem = runtime.startupProblem {
            table.notes.append("process runtime not measured: \(problem)")
            return
        }
        let bare = try await Self.unshareRate(count: max(20, Int(300 * scale)))
        let alpine = try await podRate(runtime, image: "alpine:3.20.0")
        let host = try await podRate(runtime, image: "debian:12")
        runtime.shutdown()
        table.add("process runtime", "\(pods) echo pods, image alpine (busybox root), submitted and run to terminal", "\(alpine.grouped) pods/s",
                  target: "≥ 300 pods/s", met: alpine >= 300)
        table.add("process runtime", "\(pods) echo pods, image debian:12 (the host's root)", "\(host.grouped) pods/s")
        table.add("process runtime", "bare unshare -m true, one after another (host limit)", "\(bare.grouped) /s")
    }

    /// `pods` pods of `image` running `echo hello`, submitted in batches of 500: pods/s to the last terminal event.
    func podRate(_ runtime: ProcessRuntime, image: String) async throws -> Double {
        var config = Self.config()
        config.nodes = (1...4).map { SimConfig.Node(name: "bench-node-\($0)", cpu: 100_000, memory: 1e15) }
        let simulator = Simulator(config: config, runtime: runtime)
        return try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            let item = JobSubmitRequestItem(namespace: "default", podSpec: .object([
                .init("restartPolicy", .string("Never")),
                .init("terminationGracePeriodSeconds", .number("0")),
                .init("containers", .array([.object([
                    .init("name", .string("c")), .init("image", .string(image)),
                    .init("command", .array([.string("echo"), .string("hello")])),
                    .init("resources", .object([.init("requests", .object([.init("cpu", .string("10m")), .init("memory", .string("1Mi"))]))])),
                ])])),
            ]))
            let clock = ContinuousClock()
            let start = clock.now
            var submitted = 0
            while submitted < pods {
                let n = min(500, pods - submitted)
                _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "process-rate-" + image,
                                                                 jobRequestItems: Array(repeating: item, count: n)))
                submitted += n
            }
            await drain(simulator)
            let counts = await simulator.jobCounts()
            guard counts["succeeded"] == pods else { throw BenchError("process runtime: not every \(image) echo pod succeeded: \(counts)") }
            return Double(pods) / (clock.now - start).seconds
        }
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
