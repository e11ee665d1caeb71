import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Runner
import TestFixtures
import Testing
import TestSpec

/// Test cases end to end against the in-process simulator (model runtime, fast timings).
@Suite struct TestCaseRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fast = SimConfig.Timings(cyclePeriod: 0.002, leaseToPending: 0.001, pendingToRunning: 0.001,
                                        defaultWorkloadDuration: 0.001, imagePullFailGrace: 0.01, timeScale: 1)

    func withRunner(_ body: @Sendable (TestCaseRunner, Simulator) async throws -> Void) async throws {
        let simulator = Simulator(config: SimConfig(timings: Self.fast), runtime: ModelRuntime())
        try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!)
            try await body(TestCaseRunner(client: client), simulator)
        }
    }

    func load(_ yaml: String, file: String = "inline.yaml") throws -> TestCase {
        try #require(TestCaseLoader().load(text: yaml, file: file).testCase)
    }

    /// The whole library through each transport: over gRPC everything passes (node actions
    /// included); over REST the node actions are errors that say they need gRPC.
    @Test(arguments: [ArmadaTransport.grpc, .rest]) func theLibraryPassesOnTheSimulator(_ transport: ArmadaTransport) async throws {
        let simulator = Simulator(config: SimConfig(timings: Self.fast), runtime: ModelRuntime())
        let nodes = NamedNodes(["node-ops": "sim-node-ops"], fallback: nil)
        try await SimServer.withFrontDoors(simulator) { ports in
            // A long deadline: the rest of the test run keeps Swift's two threads here busy (see ProcessOutput.run).
            try await ArmadaGRPCClient.withClient(GRPCEndpoint(host: "127.0.0.1", port: ports.grpc ?? 0, tls: false),
                                                  callTimeout: .seconds(60)) { grpc in
                let client: any ArmadaAPIClient = transport == .grpc ? grpc
                    : ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(ports.rest)")!)
                let runner = TestCaseRunner(client: client, nodes: nodes)
                let files = try TestDiscovery(workingDirectory: Self.root.path).resolve("testcases/**/*.yaml")
                #expect(files.filter { $0.hasPrefix("testcases/node/") }.count == 2)
                for file in files {
                    let test = try #require(TestCaseLoader().load(file: Self.root.path + "/" + file).testCase)
                    let result = await runner.run(test)
                    if transport == .rest, test.action?.isNodeScoped == true {
                        #expect(result.status == .error && "\(result.outcome)".contains("needs the gRPC transport"), "\(file): \(result.outcome)")
                    } else {
                        #expect(result.passed, "\(file): \(result.outcome) \(result.log)")
                    }
                }
            }
            // Every created queue and policy was cleaned up; only the pre-created environment remains.
            #expect(await simulator.allQueues(limit: 0).compactMap(\.name) == ["e2e-retry-queue", "e2e-test-queue"])
            #expect(await simulator.allRetryPolicies().map(\.name) == ["e2e-retry-policy"])
        }
    }

    static let job = """
    queue: e2e-test-queue
    numBatches: 1
    batchSize: 2
    \(jobs("exit 3"))
    """

    /// The `jobs:` block of a one-container test case running `sh -c command` (100m / 25Mi).
    static func jobs(_ command: String) -> String { TestFixtures.jobsBlock(command: command) }

    @Test func aTerminalFailureFailsTheTestWithTheReason() async throws {
        try await withRunner { runner, _ in
            let result = await runner.run(try load(Self.job + "\nexpectedEvents: [{submitted: }, {succeeded: }]\n"))
            guard case .failed(let message) = result.outcome else {
                Issue.record("expected a failure, got \(result.outcome)")
                return
            }
            #expect(message.contains("ended with failed(uncategorized, exit 3, reason \"Container c failed with exit code 3"))
            #expect(message.contains("while succeeded was expected next"))
            // Armada's own record follows: the job's error, then its run with pod, node and times.
            #expect(message.contains(": failed; error: Container c failed with exit code 3"), "\(message)")
            #expect(message.contains("  run 0 (pod armada-") && message.contains("): failed on sim-node-1 (executor local-cluster), leased "),
                    "\(message)")
        }
    }

    @Test func aTimeoutReportsWhatIsMissing() async throws {
        try await withRunner { runner, _ in
            var test = try load(Self.job.replacingOccurrences(of: "exit 3", with: "sleep 600") + "\ntimeout: \"1s\"\nexpectedEvents: [{submitted: }, {succeeded: }]\n")
            test.timeout = GoDuration(nanoseconds: 10_000_000_000) // long enough for both submitted events to arrive under load
            let result = await runner.run(test)
            guard case .timedOut(let message) = result.outcome else {
                Issue.record("expected a timeout, got \(result.outcome)")
                return
            }
            #expect(message.hasPrefix("timed out after"))
            #expect(message.contains("[submitted] received but [succeeded] missing for 2 job(s)"))
            #expect(message.contains("; last events: "), "\(message)")
            #expect(message.contains(": submitted → queued → leased"), "\(message)")
            #expect(message.contains("Armada's record of job ") && message.contains(": running") && message.contains("): running on sim-node-1"),
                    "\(message)")
        }
    }

    @Test func payloadMismatchAndRetryableFlag() async throws {
        try await withRunner { runner, _ in
            let result = await runner.run(try load(Self.job + "\nexpectedEvents: [{failed: {failureCategory: user_error}}]\n"))
            guard case .failed(let message) = result.outcome else {
                Issue.record("expected a payload failure, got \(result.outcome)")
                return
            }
            #expect(message.contains("expected failureCategory \"user_error\" but got \"uncategorized\""))
        }
    }
}
