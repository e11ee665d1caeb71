import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// Runs the simulator's REST gateway in-process on an ephemeral loopback port with fast timings.
enum SimHarness {
    static let fast = SimConfig.Timings(cyclePeriod: 0.002, leaseToPending: 0.001, pendingToRunning: 0.001,
                                        defaultWorkloadDuration: 0.001, imagePullFailGrace: 0.01, timeScale: 1)
    /// Short step times, and none at all (the model runtime's runs then complete inline).
    static let timings: [SimConfig.Timings] = [fast, .instant]

    static func run(_ config: SimConfig = SimConfig(timings: fast), runtime: (any PodRuntime)? = nil,
                    _ body: @Sendable (ArmadaRESTClient, Simulator) async throws -> Void) async throws {
        let simulator = Simulator(config: config, runtime: runtime)
        try await SimServer.withRunning(simulator) { port in
            let client = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(port)")!, callTimeout: .seconds(10),
                                          retry: RetrySchedule(initialDelay: .milliseconds(2), maxDelay: .milliseconds(10), deadline: .seconds(5)))
            try await body(client, simulator)
        }
        let counts = await simulator.activeJobCounts
        #expect(counts.counted == counts.walked, "active jobs counted from events \(counts.counted), by state \(counts.walked)")
    }

    /// Both front doors: a REST client and a gRPC client of one simulator (same retry schedule).
    /// The gRPC deadline is long: in a full `swift test` run, CPU-bound tests hold Swift's two
    /// cooperative threads (on this machine) for seconds, and the gRPC client and server run their
    /// work on them (URLSession, the REST client's transport, has threads of its own).
    static func runBoth(_ config: SimConfig = SimConfig(timings: fast), runtime: (any PodRuntime)? = nil,
                        credentials: any CredentialProvider = NoCredentials(),
                        _ body: @Sendable (ArmadaRESTClient, ArmadaGRPCClient, Simulator) async throws -> Void) async throws {
        let simulator = Simulator(config: config, runtime: runtime)
        let retry = RetrySchedule(initialDelay: .milliseconds(2), maxDelay: .milliseconds(10), deadline: .seconds(5))
        try await SimServer.withFrontDoors(simulator) { ports in
            let rest = ArmadaRESTClient(baseURL: URL(string: "http://127.0.0.1:\(ports.rest)")!, credentials: credentials,
                                        callTimeout: .seconds(10), retry: retry)
            try await ArmadaGRPCClient.withClient(GRPCEndpoint(host: "127.0.0.1", port: ports.grpc ?? 0, tls: false), credentials: credentials,
                                                  callTimeout: .seconds(60), retry: retry) { grpc in
                try await body(rest, grpc, simulator)
            }
        }
        let counts = await simulator.activeJobCounts
        #expect(counts.counted == counts.walked, "active jobs counted from events \(counts.counted), by state \(counts.walked)")
    }

    /// A pod spec with one alpine container running `command`, 100m / 25Mi.
    static func pod(_ command: [String], name: String = "main", memory: String = "25Mi", extra: [JSONValue.Member] = [],
                    container extraContainer: [JSONValue.Member] = []) -> JSONValue {
        let resources: JSONValue = .object([.init("cpu", .string("100m")), .init("memory", .string(memory))])
        return .object([
            .init("restartPolicy", .string("Never")),
            .init("terminationGracePeriodSeconds", .number("0")),
            .init("containers", .array([.object([
                .init("name", .string(name)), .init("image", .string("alpine:3.20.0")),
                .init("command", .array(command.map { .string($0) })),
                .init("resources", .object([.init("requests", resources), .init("limits", resources)])),
            ] + extraContainer)])),
        ] + extra)
    }

    static func job(_ command: [String], namespace: String = "default", annotations: [String: String]? = nil,
                    memory: String = "25Mi", extra: [JSONValue.Member] = [], container: [JSONValue.Member] = []) -> JobSubmitRequestItem {
        JobSubmitRequestItem(namespace: namespace, annotations: annotations, podSpec: pod(command, memory: memory, extra: extra, container: container))
    }

    /// Submits three `ls` jobs and reads their job set through a watcher that reconnects at once,
    /// until all three ended: the message ids read, and how often the watcher reconnected.
    static func watchThroughCuts(_ client: any ArmadaAPIClient, jobSet: String) async throws -> (ids: [String], reconnects: Int) {
        _ = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: jobSet,
                                                         jobRequestItems: Array(repeating: job(["ls"]), count: 3)))
        let diagnostics = WatcherDiagnostics()
        var ids: [String] = []
        var done = 0
        for try await m in JobSetWatcher(client: client, queue: "e2e-test-queue", jobSetId: jobSet,
                                         options: .init(initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2), maxConsecutiveFailures: 100),
                                         diagnostics: diagnostics) {
            ids.append(m.id)
            if m.message.isTerminal { done += 1 }
            if done == 3 { break }
        }
        return (ids, diagnostics.snapshot.reconnects)
    }

    /// Submits and collects each job's events until every job is terminal.
    static func runToEnd(_ client: any ArmadaAPIClient, queue: String, items: [JobSubmitRequestItem],
                         jobSet: String = "set-" + UUID().uuidString.prefix(8).lowercased()) async throws -> [String: [EventMessage]] {
        let response = try await client.submitJobs(JobSubmitRequest(queue: queue, jobSetId: jobSet, jobRequestItems: items))
        let ids = Set(response.jobResponseItems.map(\.jobId))
        var events: [String: [EventMessage]] = [:]
        var done = Set<String>()
        for try await message in JobSetWatcher(client: client, queue: queue, jobSetId: jobSet) {
            events[message.message.jobId, default: []].append(message.message)
            if message.message.isTerminal { done.insert(message.message.jobId) }
            if done.isSuperset(of: ids) { break }
        }
        return events
    }
}

extension Array where Element == EventMessage {
    /// `submitted queued leased pending running failed(retryable) …`
    var sequence: String {
        map { $0.type == .failed && $0.retryable ? "failed(retryable)" : ($0.type?.rawValue ?? $0.typeName) }.joined(separator: " ")
    }
}
