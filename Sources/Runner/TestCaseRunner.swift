import ArmadaAPI
import ArmadaClient
import Foundation
import RetryEngine
import TestSpec

/// Runs one test case against an Armada REST gateway: creates its retry policies and queue
/// (cleanup registered before each side effect), submits its batches, follows the job set's
/// events through the expectation matcher, fires its action, and cleans up whatever happened.
public struct TestCaseRunner: Sendable {
    public struct Settings: Sendable {
        /// Multiplies every test's timeout.
        public var timeoutScale: Double
        /// Used when a test sets no timeout (upstream would wait for ever).
        public var defaultTimeout: Duration
        /// Wait after creating policies and queues on a real cluster (the scheduler's cache); 0 on the simulator.
        public var policySettle: Duration
        public var watcherOptions: JobSetWatcher.Options

        public init(timeoutScale: Double = 1, defaultTimeout: Duration = .seconds(600), policySettle: Duration = .zero,
                    watcherOptions: JobSetWatcher.Options = .init()) {
            self.timeoutScale = timeoutScale
            self.defaultTimeout = defaultTimeout
            self.policySettle = policySettle
            self.watcherOptions = watcherOptions
        }
    }

    public let client: ArmadaRESTClient
    public let settings: Settings

    public init(client: ArmadaRESTClient, settings: Settings = Settings()) {
        self.client = client
        self.settings = settings
    }

    /// A short random suffix (lowercase, RFC 1123-safe) that makes this run's names unique.
    static func suffix() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<8).map { _ in alphabet.randomElement()! })
    }

    /// `name-suffix`, shortened so it stays a valid 63-character name.
    static func unique(_ name: String, _ suffix: String) -> String {
        let base = String(name.prefix(63 - suffix.count - 1))
        return (base.hasSuffix("-") ? String(base.dropLast()) : base) + "-" + suffix
    }

    public func run(_ test: TestCase) async -> TestResult {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let suffix = Self.suffix()
        var context = RunContext(jobSetId: test.fileName + "-" + suffix, queue: test.queue)
        var outcome: TestResult.Outcome
        do {
            outcome = try await execute(test, suffix: suffix, &context)
        } catch let error as ArmadaError {
            outcome = .error(error.description)
        } catch {
            outcome = .error("\(error)")
        }
        for cleanup in context.cleanups.reversed() {
            if let problem = await cleanup.run(client) { context.log("cleanup: \(problem)") }
        }
        context.log(outcome == .passed ? "test case \(test.name) succeeded" : "test case \(test.name) failed: \(outcome.message)")
        return TestResult(name: test.name, file: test.file, jobSetId: context.jobSetId, queue: context.queue, outcome: outcome,
                          started: started, duration: clock.now - start, log: context.lines)
    }

    private func execute(_ test: TestCase, suffix: String, _ context: inout RunContext) async throws -> TestResult.Outcome {
        if let action = test.action, action.isNodeScoped {
            return .error("\(action.key) needs the gRPC transport (Armada's REST gateway does not serve node operations)")
        }
        // Retry policies and, with them, a queue of the test's own.
        var policyNames: [String: String] = [:]
        for policy in test.retryPolicies {
            var created = policy
            created.name = Self.unique(policy.name, suffix)
            context.cleanups.append(.deletePolicy(created.name))
            try await client.createRetryPolicy(created)
            policyNames[policy.name] = created.name
            context.log("created retry policy \(created.name)")
        }
        if let first = test.retryPolicies.first, let name = policyNames[first.name] {
            context.queue = Self.unique(test.queue, suffix)
            context.cleanups.append(.deleteQueue(context.queue))
            try await client.createQueue(Queue(name: context.queue, priorityFactor: 1, retryPolicies: [name]))
            context.log("created queue \(context.queue) with retry policy \(name)")
            if settings.policySettle > .zero { try await Task.sleep(for: settings.policySettle) }
        }
        var createdQueues: [String] = []
        if let queueConfig = test.queueConfig {
            createdQueues = try await QueuePhases(client: client).setup(queueConfig, base: test.queue, suffix: suffix,
                                                                       policy: policyNames.values.first, &context)
            context.queue = createdQueues[0]
        }
        if test.isPureQueueTest {
            guard let queueConfig = test.queueConfig else { return .passed }
            if let failure = try await QueuePhases(client: client).assert(queueConfig, queues: createdQueues, &context) {
                return .failed(failure)
            }
            return .passed
        }

        // Submission: the job set is cancelled at the end whatever happens from here on.
        context.cleanups.append(.cancelJobSet(queue: context.queue, jobSetId: context.jobSetId))
        var jobIds: [String] = []
        for batch in 0..<Int(test.numBatches) {
            if !test.interval.isZero { try await Task.sleep(for: test.interval.duration) }
            let items = (0..<Int(test.batchSize)).flatMap { _ in test.jobs.map { prepare($0, test, policyNames) } }
            let response = try await client.submitJobs(JobSubmitRequest(queue: context.queue, jobSetId: context.jobSetId, jobRequestItems: items))
            jobIds += response.jobResponseItems.map(\.jobId)
            context.log("submitted batch \(batch + 1)/\(test.numBatches): \(items.count) job(s) to \(context.queue), job set \(context.jobSetId)")
        }
        let timeout = test.timeout.isZero ? settings.defaultTimeout
            : .nanoseconds(Int64(Double(test.timeout.nanoseconds) * settings.timeoutScale))
        let watch = WatchLoop(client: client, test: test, queue: context.queue, jobSetId: context.jobSetId, jobIds: jobIds,
                              options: settings.watcherOptions)
        let (result, lines) = await watch.run(timeout: timeout)
        for line in lines { context.log(line) }
        if result == .passed, case .cancelJobSet(_, true)? = test.action {
            do {
                try await client.cancelJobSet(JobSetCancelRequest(jobSetId: context.jobSetId, queue: context.queue))
            } catch {
                return .failed("cancel of job set with no active jobs returned an error: \(error)")
            }
        }
        if result == .passed, let queueConfig = test.queueConfig,
           let failure = try await QueuePhases(client: client).assert(queueConfig, queues: createdQueues, &context) {
            return .failed(failure)
        }
        return result
    }

    /// One submit item: a fresh client id per item and batch with `randomClientId`, and retry-policy
    /// annotations pointing at this run's policy names.
    func prepare(_ job: JobSubmitRequestItem, _ test: TestCase, _ policies: [String: String]) -> JobSubmitRequestItem {
        var item = job
        if test.randomClientId, (item.clientId ?? "").isEmpty { item.clientId = UUID().uuidString.lowercased() }
        if let names = item.annotations?[RetryGate.policyAnnotation] {
            item.annotations?[RetryGate.policyAnnotation] = names.split(separator: ",")
                .map { policies[$0.trimmingCharacters(in: .whitespaces)] ?? String($0) }.joined(separator: ",")
        }
        return item
    }
}

extension TestResult.Outcome {
    var message: String {
        switch self {
        case .passed: ""
        case .failed(let m), .error(let m): m
        }
    }
}
