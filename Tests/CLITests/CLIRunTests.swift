import ArmadaClient
import ArmadaSim
import Foundation
#if canImport(FoundationXML)
import FoundationXML
import TestFixtures
#endif
import Testing

/// `testsuite test` end to end: the binary against the embedded or an in-test simulator, its
/// reports, its exit codes and its signal handling.
@Suite(.serialized) struct CLIRunTests {
    static let fast = SimConfig.Timings(cyclePeriod: 0.002, leaseToPending: 0.001, pendingToRunning: 0.001,
                                        defaultWorkloadDuration: 0.001, imagePullFailGrace: 0.01, timeScale: 1)

    func temporaryDirectory() throws -> URL {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("cli-run-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test(.timeLimit(.minutes(2))) func theWholeLibraryPassesWithReports() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let junit = dir.appendingPathComponent("junit.xml").path, json = dir.appendingPathComponent("report.json").path
        let cli = try RunningCLI(["test", "--tests", "testcases/**/*.yaml", "--sim-runtime", "model", "--embedded",
                                  "--junit", junit, "--json", json], in: CLITests.root)
        let status = await cli.status()
        #expect(status == 0, "\(cli.stdout)\(cli.stderr)")
        #expect(cli.stdout.contains("running on the embedded simulator, runtime model, over gRPC"))
        #expect(cli.stdout.contains("Ran 25 test(s) in "))
        #expect(cli.stdout.contains(": 25 passed, 0 failed"))
        #expect(cli.stdout.contains("PASS node-cancel-on-node") && cli.stdout.contains("PASS node-preempt-on-node"))
        #expect(cli.stdout.contains("PASS single-pod-retry"))
        #expect(cli.stdout.contains("memory by run (simulator's run log; Armada's API reports no run's memory): run 0: 32Mi, run 1: 64Mi (×2)"))
        #expect(cli.stdout.contains("1 job (2 runs): submitted → queued → leased → pending → running → failed(retryable) → leased → pending → running → succeeded"))
        // JUnit: one suite per folder, a testcase per file, no failures.
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(XMLParser(data: Data(xml.utf8)).parse())
        for folder in ["basic", "node", "preemption", "queue", "reprioritization", "retries"] {
            #expect(xml.contains("<testsuite name=\"\(folder)\""))
        }
        #expect(xml.contains(#"<testsuites name="testcases/**/*.yaml" tests="25" failures="0" errors="0""#))
        #expect(xml.contains(#"<property name="transport" value="gRPC"/>"#))
        #expect(xml.contains(#"<testcase name="single-pod-retry" classname="retries""#))
        // xunitparser checks the root's totals against the test cases and rejects a property name twice.
        let parsed = try await ProcessOutput.python("import sys, xunitparser; ts, tr = xunitparser.parse(open(sys.argv[1])); "
            + "print(len(list(ts)), len(tr.failures), len(tr.errors), tr.wasSuccessful())", [junit])
        #expect(parsed == "25 0 0 True\n")
        // JSON: every test passed, with timelines.
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let tests = try #require(root["tests"] as? [[String: Any]])
        #expect(tests.count == 25 && tests.allSatisfy { $0["status"] as? String == "passed" })
        #expect(root["transport"] as? String == "gRPC")
        let retry = try #require(tests.first { $0["name"] as? String == "single-pod-retry" })
        let events = try #require(((retry["jobs"] as? [[String: Any]])?.first?["events"]) as? [[String: Any]])
        #expect(events.contains { $0["type"] as? String == "failed" && $0["retryable"] as? Bool == true })
        #expect(events.last?["type"] as? String == "succeeded")
    }

    /// The library against `testsuite serve`, through each front door: over gRPC all of it (node
    /// actions with --node), over REST all but the node actions, which Armada serves over gRPC only.
    @Test(.timeLimit(.minutes(3))) func theLibraryPassesAgainstServeOverBothTransports() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let serve = try RunningCLI(["serve", "--port", "0", "--sim-runtime", "model"], in: CLITests.root)
        defer { serve.stop() }
        #expect(await serve.waitForOutput("or over gRPC: --grpc-url "), "\(serve.stdout)\(serve.stderr)")
        let lines = serve.stdout.split(separator: "\n")
        let grpc = try #require(lines.first { $0.hasPrefix("or over gRPC: --grpc-url ") }).dropFirst("or over gRPC: --grpc-url ".count)
        let rest = try #require(lines.first { $0.hasPrefix("target it with: --rest-url ") }).dropFirst("target it with: --rest-url ".count)
        let json = dir.appendingPathComponent("grpc.json").path
        let overGRPC = try RunningCLI(["test", "--tests", "testcases/**/*.yaml", "--grpc-url", String(grpc), "--node", "node-ops=sim-node-ops",
                                       "--policy-settle", "0s", "--json", json], in: CLITests.root)
        #expect(await overGRPC.status() == 0, "\(overGRPC.stdout)\(overGRPC.stderr)")
        #expect(overGRPC.stdout.contains("target: grpc://127.0.0.1:\(grpc.split(separator: ":").last ?? "") (gRPC; --grpc-url;"))
        #expect(overGRPC.stdout.contains(": 25 passed, 0 failed"), "\(overGRPC.stdout)")
        #expect(overGRPC.stdout.contains("PASS node-cancel-on-node") && overGRPC.stdout.contains("PASS node-preempt-on-node"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        #expect(report["transport"] as? String == "gRPC" && report["target"] as? String == "grpc://\(grpc)")
        let overREST = try RunningCLI(["test", "--tests", "testcases/{basic,preemption,queue,reprioritization,retries}/*.yaml",
                                       "--rest-url", String(rest), "--policy-settle", "0s"], in: CLITests.root)
        #expect(await overREST.status() == 0, "\(overREST.stdout)\(overREST.stderr)")
        #expect(overREST.stdout.contains("(REST; --rest-url;") && overREST.stdout.contains(": 23 passed, 0 failed"), "\(overREST.stdout)")
        // The node cases over REST: errors that say why.
        let nodeOverREST = try RunningCLI(["test", "--tests", "testcases/node/*.yaml", "--rest-url", String(rest), "--policy-settle", "0s"],
                                          in: CLITests.root)
        #expect(await nodeOverREST.status() == 2 && nodeOverREST.stdout.contains("needs the gRPC transport"), "\(nodeOverREST.stdout)")
        serve.send(SIGTERM)
        #expect(await serve.status() == 0)
    }

    static let longJob = """
        name: long
        queue: cli-q
        numBatches: NUM
        batchSize: SIZE
        interval: "INTERVAL"
        timeout: "120s"
        retryPolicies: [{name: cli-policy, retryLimit: 1, defaultAction: Fail}]
        \(CLITests.jobs("sleep 600"))
        expectedEvents: [{submitted: }, {succeeded: }]
        """

    /// Runs `testsuite test` on `yaml` against an in-test simulator; `interrupt` drives signals.
    func withInterruptedRun(_ yaml: String,
                            _ interrupt: @Sendable (RunningCLI, Simulator) async -> Void,
                            check: @Sendable (RunningCLI, Int32, URL, Simulator) async throws -> Void) async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try yaml.write(to: dir.appendingPathComponent("long.yaml"), atomically: true, encoding: .utf8)
        let simulator = Simulator(config: SimConfig(timings: Self.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in
            let cli = try RunningCLI(["test", "--tests", "long.yaml", "--rest-url", "http://127.0.0.1:\(port)", "--policy-settle", "0s",
                                      "--junit", "junit.xml", "--json", "report.json"], in: dir)
            defer { cli.stop() }
            await interrupt(cli, simulator)
            let status = await cli.status()
            try await check(cli, status, dir, simulator)
        }
    }

    /// Follows the simulator's event log until `condition` holds.
    static func waitUntil(_ simulator: Simulator, _ condition: @Sendable (Simulator) async -> Bool) async {
        var seen = -1
        while !(await condition(simulator)), !Task.isCancelled { seen = await simulator.waitForLoggedEvents(moreThan: seen) }
    }

    /// Exit 130, both reports saying "interrupted", and nothing of the test left on the simulator.
    static func checkCleanInterrupt(_ cli: RunningCLI, _ status: Int32, _ dir: URL, _ simulator: Simulator, phase: String) async throws {
        #expect(status == 130, "\(cli.stdout)\(cli.stderr)")
        #expect(cli.stdout.contains("interrupted: stopping the running tests and cleaning up"))
        #expect(cli.stdout.contains("INTERRUPTED long"))
        #expect(cli.stdout.contains("interrupted while \(phase)"), "\(cli.stdout)")
        let xml = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(xml.contains(#"<error type="Interrupted" message="interrupted while \#(phase)"#))
        let json = try String(contentsOf: dir.appendingPathComponent("report.json"), encoding: .utf8)
        #expect(json.contains(#""status": "interrupted""#))
        await waitUntil(simulator) { await $0.activeJobCount == 0 }
        #expect(await simulator.allQueues(limit: 0).compactMap(\.name) == ["e2e-retry-queue", "e2e-test-queue"])
        #expect(await simulator.allRetryPolicies().map(\.name) == ["e2e-retry-policy"])
    }

    @Test(.timeLimit(.minutes(1))) func sigintDuringSubmissionCleansUpAndExits130() async throws {
        let yaml = Self.longJob.replacingOccurrences(of: "NUM", with: "1000").replacingOccurrences(of: "SIZE", with: "1")
            .replacingOccurrences(of: "INTERVAL", with: "20ms")
        try await withInterruptedRun(yaml, { cli, simulator in
            await Self.waitUntil(simulator) { await $0.jobCounts().values.reduce(0, +) >= 2 }
            cli.send(SIGINT)
        }, check: { cli, status, dir, simulator in
            try await Self.checkCleanInterrupt(cli, status, dir, simulator, phase: "submitting batch")
            #expect(await simulator.jobCounts().values.reduce(0, +) < 1000)
        })
    }

    @Test(.timeLimit(.minutes(1))) func sigtermDuringWatchingCleansUpAndExits130() async throws {
        let yaml = Self.longJob.replacingOccurrences(of: "NUM", with: "1").replacingOccurrences(of: "SIZE", with: "2")
            .replacingOccurrences(of: "INTERVAL", with: "0s")
        try await withInterruptedRun(yaml, { cli, simulator in
            await Self.waitUntil(simulator) { await $0.jobCounts()["running", default: 0] == 2 }
            cli.send(SIGTERM)
        }, check: { cli, status, dir, simulator in
            try await Self.checkCleanInterrupt(cli, status, dir, simulator, phase: "watching job set long-")
        })
    }

    @Test(.timeLimit(.minutes(1))) func aSecondSignalExitsAtOnceListingWhatIsLeft() async throws {
        let yaml = Self.longJob.replacingOccurrences(of: "NUM", with: "1").replacingOccurrences(of: "SIZE", with: "1")
            .replacingOccurrences(of: "INTERVAL", with: "0s")
        try await withInterruptedRun(yaml, { cli, simulator in
            await Self.waitUntil(simulator) { await $0.jobCounts()["running", default: 0] == 1 }
            // Cleanup calls now take 5 s each, so the second signal arrives while they are in flight.
            await simulator.setFaults(SimFaults(responseDelay: 5))
            cli.send(SIGINT)
            _ = await cli.waitForOutput("interrupted: stopping")
            cli.send(SIGINT)
        }, check: { cli, status, dir, _ in
            #expect(status == 130)
            #expect(cli.stderr.contains("second interrupt: exiting now; left behind (delete by hand):"), "\(cli.stderr)")
            #expect(cli.stderr.contains("  job set long-"))
            #expect(cli.stderr.contains("  queue cli-q-"))
            #expect(cli.stderr.contains("  retry policy cli-policy-"))
            // Both reports are written on the way out, the test interrupted with what it leaves behind.
            let xml = try String(contentsOf: dir.appendingPathComponent("junit.xml"), encoding: .utf8)
            #expect(xml.contains(#"<error type="Interrupted" message="interrupted: the run exited at a second signal before this test had "#
                + "cleaned up; left behind (delete by hand): retry policy cli-policy-"), "\(xml)")
            #expect(xml.contains(", queue cli-q-") && xml.contains(", job set long-"))
            let json = try String(contentsOf: dir.appendingPathComponent("report.json"), encoding: .utf8)
            #expect(json.contains(#""status": "interrupted""#) && json.contains("left behind (delete by hand)"))
        })
    }

    @Test(.timeLimit(.minutes(1))) func aWrongExpectationFailsWithAPreciseMessage() async throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        name: wrong
        queue: e2e-test-queue
        numBatches: 1
        batchSize: 2
        \(CLITests.jobs("exit 0"))
        expectedEvents: [{submitted: }, {failed: {retryable: true}}, {succeeded: }]
        """.write(to: dir.appendingPathComponent("wrong.yaml"), atomically: true, encoding: .utf8)
        let cli = try RunningCLI(["test", "--tests", "wrong.yaml", "--sim-runtime", "model", "--quiet", "--junit", "j.xml"], in: dir)
        let status = await cli.status()
        #expect(status == 1)
        #expect(cli.stdout.contains("ended with succeeded while failed(retryable) was expected next"), "\(cli.stdout)")
        #expect(!cli.stdout.contains("START")) // --quiet
        let xml = try String(contentsOf: dir.appendingPathComponent("j.xml"), encoding: .utf8)
        #expect(xml.contains(#"<failure type="ExpectationFailure" message="job "#))
        #expect(xml.contains("ended with succeeded while failed(retryable) was expected next"))
    }
}
