import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// `testsuite serve` stops cleanly: SIGTERM ends every pod (with its grace period), removes the run
/// directories and memory groups, and exits 0.
@Suite struct ServeLifecycleTests {
    static func processExists(named name: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).contains { pid in
            guard Int(pid) != nil, let cmd = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: cmd, as: UTF8.self).contains(name)
        }
    }

    @Test(.timeLimit(.minutes(1))) func sigtermStopsEveryPodAndLeavesNothing() async throws {
        let serve = try RunningCLI(["serve", "--port", "0"], in: CLITests.root)
        defer { serve.stop() }
        #expect(await serve.waitForOutput("target it with: --rest-url "), "\(serve.stdout)\(serve.stderr)")
        let line = try #require(serve.stdout.split(separator: "\n").first { $0.hasPrefix("target it with: --rest-url ") })
        let url = try #require(URL(string: String(line.dropFirst("target it with: --rest-url ".count))))
        let client = ArmadaRESTClient(baseURL: url)
        // A duration no other process has names the pod's process on the host.
        let marker = "sleep\u{0}1000.\(UInt32.random(in: 100_000...999_999))"
        let pod: JSONValue = .object([
            .init("restartPolicy", .string("Never")), .init("terminationGracePeriodSeconds", .number("1")),
            .init("containers", .array([.object([
                .init("name", .string("sleeper")), .init("image", .string("alpine")),
                .init("command", .array([.string("sh"), .string("-c"), .string("exec sleep " + marker.dropFirst(6))])),
                .init("resources", .object([.init("limits", .object([.init("cpu", .string("100m")), .init("memory", .string("32Mi"))]))])),
            ])])),
        ])
        _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "serve-stop",
                                                         jobRequestItems: [JobSubmitRequestItem(namespace: "default", podSpec: pod)]))
        for try await message in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: "serve-stop") where message.message.type == .running {
            break
        }
        // `running` is reported as the sandbox starts; the command itself follows a moment later.
        var started = false
        for _ in 0..<500 where !started {
            started = Self.processExists(named: marker)
            if !started { try await Task.sleep(for: .milliseconds(10)) }
        }
        if !started {
            var seen: [String] = []
            for try await message in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: "serve-stop") {
                seen.append("\(message.message.typeName): \(message.message.reason)")
                if message.message.isTerminal { break }
            }
            Issue.record("the pod never started its command: \(seen)")
        }
        let pid = serve.process.processIdentifier
        serve.send(SIGTERM)
        let status = await serve.status()
        #expect(status == 0, "\(serve.stdout)\(serve.stderr)")
        #expect(serve.stdout.contains("stopped on SIGTERM: every pod ended, nothing left behind"))
        #expect(!Self.processExists(named: marker))
        #expect(!FileManager.default.fileExists(atPath: ProcessRuntime.defaultWorkRoot + "/\(pid)"))
        for root in ["/sys/fs/cgroup/memory/armada-sim", "/sys/fs/cgroup/armada-sim"] {
            let groups = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0.hasPrefix("\(pid)-") }
            #expect(groups.isEmpty, "left behind: \(groups)")
        }
    }

    @Test(.timeLimit(.minutes(1))) func hostsAreAddressesAndIPv6IsBracketed() async throws {
        // Loopback in any spelling keeps the process runtime (no --allow-remote-exec needed).
        for (host, url) in [("LOCALHOST", "http://LOCALHOST:"), ("127.0.0.2", "http://127.0.0.2:"), ("::1", "http://[::1]:")] {
            let serve = try RunningCLI(["serve", "--host", host, "--port", "0"], in: CLITests.root)
            defer { serve.stop() }
            #expect(await serve.waitForOutput("target it with: --rest-url \(url)"), "\(host): \(serve.stdout)\(serve.stderr)")
            serve.send(SIGTERM)
            #expect(await serve.status() == 0)
            #expect(!serve.stderr.contains("warning: listening on"))
        }
    }

    /// SIGTERM, two SIGINTs, and SIGKILL of the runner (which it cannot handle: the pods get the
    /// kernel's parent-death signal) all end the pods.
    @Test(.timeLimit(.minutes(1))) func theEmbeddedSimulatorStopsItsPodsOnEitherSignal() async throws {
        for signals in [[SIGTERM], [SIGINT, SIGINT], [SIGKILL]] {
            let dir = try CLIVerdictTests.Scratch()
            let marker = "1000.\(UInt32.random(in: 100_000...999_999))"
            try dir.write("sleeper.yaml", """
                name: sleeper
                queue: e2e-test-queue
                numBatches: 1
                batchSize: 1
                timeout: "120s"
                jobs:
                  - namespace: default
                    podSpec:
                      terminationGracePeriodSeconds: 1
                      containers:
                        - {name: c, image: alpine, command: [sh, -c, "exec sleep \(marker)"],
                           resources: {limits: {cpu: 100m, memory: 32Mi}}}
                expectedEvents: [{submitted: }, {succeeded: }]
                """)
            let cli = try RunningCLI(["test", "--embedded", "sleeper.yaml"], in: dir.url)
            defer { cli.stop() }
            var started = false
            for _ in 0..<1000 where !started {
                started = Self.processExists(named: "sleep\u{0}\(marker)")
                if !started { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(started, "\(cli.stdout)\(cli.stderr)")
            for signal in signals {
                cli.send(signal)
                if signals.count > 1 { _ = await cli.waitForOutput("interrupted: stopping") }
            }
            let status = await cli.status()
            #expect(signals == [SIGKILL] ? cli.signalled && status == SIGKILL : status == 130)
            // After SIGKILL the kernel ends the pod a moment later: give it up to 10 s.
            var left = Self.processExists(named: "sleep\u{0}\(marker)")
            for _ in 0..<1000 where left && signals == [SIGKILL] {
                try await Task.sleep(for: .milliseconds(10))
                left = Self.processExists(named: "sleep\u{0}\(marker)")
            }
            #expect(!left, "\(signals)")
        }
    }
}
