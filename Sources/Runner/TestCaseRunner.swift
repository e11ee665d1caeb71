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
        /// How long each cleanup call (retries included) may take.
        public var cleanupDeadline: Duration
        /// The most items one submit request carries; a larger batch is sent in several requests,
        /// each built as it is sent, so it never sits in memory whole.
        public var submitChunk: Int
        /// How the addresses of `ingressInfo` events are probed; nil: they are not.
        public var ingressProbe: IngressProbe.Settings?
        /// Where each run's events are recorded (`--record`, `EventTape`); nil: not recorded.
        public var recordDirectory: String?
        /// The run's target as tapes name it.
        public var recordTarget = ""
        /// Leave what a failed, timed-out or erroring test created (`--keep-on-failure`), for
        /// looking at on the cluster; the result lists it.
        public var keepOnFailure = false

        public init(timeoutScale: Double = 1, defaultTimeout: Duration = .seconds(600), policySettle: Duration = .zero,
                    watcherOptions: JobSetWatcher.Options = .init(), cleanupDeadline: Duration = .seconds(10), submitChunk: Int = 1_000,
                    ingressProbe: IngressProbe.Settings? = IngressProbe.Settings()) {
            self.ingressProbe = ingressProbe
            self.timeoutScale = timeoutScale
            self.defaultTimeout = defaultTimeout
            self.policySettle = policySettle
            self.watcherOptions = watcherOptions
            self.cleanupDeadline = cleanupDeadline
            self.submitChunk = max(1, submitChunk)
        }
    }

    public let client: any ArmadaAPIClient
    public let settings: Settings
    /// Where cleanups wait until they ran, for a forced exit's report of what it left behind.
    public let ledger: CleanupLedger?
    /// What the API does not report about runs (the embedded simulator's run log); nil on a cluster.
    public let runLog: (any RunLogSource)?
    /// Which node a node action targets (nil: node actions are an error that says how to name one).
    public let nodes: (any NodeResolver)?

    public init(client: any ArmadaAPIClient, settings: Settings = Settings(), ledger: CleanupLedger? = nil, runLog: (any RunLogSource)? = nil,
                nodes: (any NodeResolver)? = nil) {
        self.client = client
        self.settings = settings
        self.ledger = ledger
        self.runLog = runLog
        self.nodes = nodes
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

    /// Runs the test; its cleanups run whatever happens, also when the calling task is cancelled
    /// (an interrupt), and the result says how it ended.
    public func run(_ test: TestCase, observer: (any RunObserver)? = nil, index: Int = 0) async -> TestResult {
        let started = Date()
        let clock = ContinuousClock()
        let start = clock.now
        let suffix = Self.suffix()
        var context = RunContext(jobSetId: test.fileName + "-" + suffix, queue: test.queue, ledger: ledger, index: index)
        var watch: WatchLoop.Result?
        var tape: EventTape?
        context.log("test case started \(test.name): queue \(test.queue), expected \(test.expectedSequence)")
        var outcome: TestResult.Outcome
        do {
            outcome = try await execute(test, suffix: suffix, observer: observer, index: index, &context, &watch, &tape)
        } catch {
            outcome = .error("\(context.phase): \(error)")
        }
        // A run the interrupt cancelled is INTERRUPTED whatever a cut request made of it.
        if Task.isCancelled, outcome != .passed {
            outcome = .interrupted("interrupted while \(context.phase)")
        }
        // Read before the cleanups cancel the job set; only jobs that ran are in it.
        var runNotes: [String] = []
        if watch != nil {
            if let runLog {
                runNotes = RunMemoryNotes.lines(await runLog.runs(queue: context.queue, jobSetId: context.jobSetId))
            } else {
                runNotes = RunMemoryNotes.unavailable(for: test)
            }
        }
        // A failure reads better with Armada's own record of the jobs: their errors and runs.
        if let watch, outcome.status == .failed || outcome.status == .timedOut {
            let notes = await JobRecordNotes.fetch(client.limited(to: settings.cleanupDeadline), jobs: watch.jobs)
            if !notes.isEmpty { outcome = outcome.adding(notes) }
        }
        tape?.close(outcome)
        var kept: [String] = []
        if settings.keepOnFailure, outcome.status.ranAndFailed {
            kept = context.keepCleanups()
            if !kept.isEmpty { context.log("kept for debugging (--keep-on-failure), not cleaned up: \(kept.joined(separator: ", "))") }
        } else {
            await context.runCleanups(client, deadline: settings.cleanupDeadline)
        }
        // The verdict itself is the outcome's message; the log only says how the test ended.
        context.log(outcome == .passed ? "test case \(test.name) succeeded" : "test case \(test.name) ended: \(outcome.status.rawValue)")
        var result = TestResult(name: test.name, file: test.file, folder: test.folder, jobSetId: context.jobSetId, queue: context.queue,
                                policies: context.policies, environment: test.environment, target: test.target, outcome: outcome,
                                started: started, duration: clock.now - start, log: context.lines, jobs: watch?.jobs ?? [],
                                latencies: watch?.latencies ?? [:], eventsReceived: watch?.events ?? 0, reconnects: watch?.reconnects ?? 0)
        result.warnings = test.warnings
        result.runNotes = runNotes
        result.kept = kept
        return result
    }

    private func execute(_ test: TestCase, suffix: String, observer: (any RunObserver)?, index: Int,
                         _ context: inout RunContext, _ watch: inout WatchLoop.Result?, _ tape: inout EventTape?) async throws -> TestResult.Outcome {
        if test.checksNothing {
            return .invalid(TestCase.checksNothingMessage)
        }
        if client.transportKind == .rest, let reason = test.action?.restUnsupportedReason {
            return .error(reason)
        }
        // Retry policies and, with them, a queue of the test's own.
        context.phase = "creating retry policies"
        var policyNames: [String: String] = [:]
        for policy in test.retryPolicies {
            var created = policy
            created.name = Self.unique(policy.name, suffix)
            context.register(.deletePolicy(created.name))
            try await client.createRetryPolicy(created)
            policyNames[policy.name] = created.name
            context.policies.append(created.name)
            context.log("created retry policy \(created.name)")
        }
        if let first = test.retryPolicies.first, let name = policyNames[first.name] {
            context.phase = "creating queue"
            context.queue = Self.unique(test.queue, suffix)
            context.register(.deleteQueue(context.queue))
            try await client.createQueue(Queue(name: context.queue, priorityFactor: 1, retryPolicies: [name]))
            context.log("created queue \(context.queue) with retry policy \(name)")
        }
        var createdQueues: [String] = []
        if let queueConfig = test.queueConfig {
            context.phase = "setting up queues"
            createdQueues = try await QueuePhases(client: client).setup(queueConfig, base: test.queue, suffix: suffix,
                                                                       policy: context.policies.first, &context)
            context.queue = createdQueues[0]
        }
        if !test.retryPolicies.isEmpty, settings.policySettle > .zero {
            context.phase = "waiting for the scheduler to see the new policies"
            context.log("waiting \(settings.policySettle) for the scheduler's policy cache (policySettle)")
            try await Task.sleep(for: settings.policySettle)
        }
        if test.isPureQueueTest {
            guard let queueConfig = test.queueConfig else { return .passed }
            context.phase = "asserting queues"
            if let failure = try await QueuePhases(client: client).assert(queueConfig, queues: createdQueues, &context) {
                return .failed(failure)
            }
            return .passed
        }

        // Submission: the job set is cancelled at the end whatever happens from here on.
        context.register(.cancelJobSet(queue: context.queue, jobSetId: context.jobSetId))
        var jobIds: [String] = []
        let clock = ContinuousClock()
        for batch in 0..<Int(test.numBatches) {
            context.phase = "submitting batch \(batch + 1)/\(test.numBatches)"
            if !test.interval.isZero { try await Task.sleep(for: test.interval.duration) }
            try Task.checkCancellation()
            // A batch is `batchSize` copies of `jobs`, sent in requests of at most `submitChunk` items.
            let count = SaturatingProduct.of(Int(test.batchSize), test.jobs.count)
            let began = clock.now
            for start in stride(from: 0, to: count, by: settings.submitChunk) {
                let items = (start..<min(count, start + settings.submitChunk)).map { prepare(test.jobs[$0 % test.jobs.count], test, policyNames) }
                let response = try await client.submitJobs(JobSubmitRequest(queue: context.queue, jobSetId: context.jobSetId, jobRequestItems: items))
                if let failed = response.jobResponseItems.first(where: { !($0.error ?? "").isEmpty }) {
                    return .error("submitting batch \(batch + 1): job \(failed.jobId) was rejected: \(failed.error ?? "")")
                }
                jobIds += response.jobResponseItems.map(\.jobId)
            }
            let requests = (count + settings.submitChunk - 1) / settings.submitChunk
            context.log("submitted batch \(batch + 1)/\(test.numBatches): \(count) job(s) to \(context.queue), "
                        + "job set \(context.jobSetId) in \((clock.now - began).short)" + (requests > 1 ? " (\(requests) requests)" : ""))
        }
        // Node actions: the node of the pool, resolved before watching (upstream: a failure ends the test).
        var node: String?
        switch test.action {
        case .cancelOnNode(_, let tag)?, .preemptOnNode(_, let tag)?:
            context.phase = "resolving the node of pool \(tag)"
            guard let nodes else { return .error("\(test.action!.key) needs the node of pool \(tag): pass --node \(tag)=<node name>") }
            do {
                node = try await nodes.node(inPool: tag)
            } catch {
                return .error(error.message)
            }
            context.log("node action on \(node!) (pool \(tag), from \(nodes.summary))")
        default:
            break
        }
        if let directory = settings.recordDirectory {
            do {
                tape = try EventTape(directory: directory, header: .init(
                    test: test.name, file: test.file, target: settings.recordTarget, transport: client.transportKind.description,
                    queue: context.queue, jobSet: context.jobSetId, jobIds: jobIds, started: Date()))
                context.log("recording events in \(tape!.path)")
            } catch {
                context.log("cannot record the events of \(context.jobSetId) in \(directory): \(error.localizedDescription)")
            }
        }
        context.phase = "watching job set \(context.jobSetId)"
        let loop = WatchLoop(client: client, test: test, queue: context.queue, jobSetId: context.jobSetId, jobIds: jobIds,
                             node: node, options: settings.watcherOptions, observer: observer, index: index,
                             ingress: settings.ingressProbe.map { IngressProbe(settings: $0) }, tape: tape)
        let result = await loop.run(timeout: timeout(for: test))
        watch = result
        for line in result.lines { context.log(line) }
        try Task.checkCancellation()
        if result.outcome == .passed, case .cancelJobSet(_, true)? = test.action {
            context.phase = "cancelling the job set with no active jobs"
            do {
                try await client.cancelJobSet(JobSetCancelRequest(jobSetId: context.jobSetId, queue: context.queue))
            } catch {
                return .failed("cancel of job set with no active jobs returned an error: \(error)")
            }
        }
        if result.outcome == .passed, let queueConfig = test.queueConfig {
            context.phase = "asserting queues"
            if let failure = try await QueuePhases(client: client).assert(queueConfig, queues: createdQueues, &context) {
                return .failed(failure)
            }
        }
        return result.outcome
    }

    /// The test's timeout (or the default when it sets none) times the scale.
    func timeout(for test: TestCase) -> Duration {
        let base = test.timeout.isZero ? settings.defaultTimeout : test.timeout.duration
        return Duration.clamped(seconds: base.seconds * settings.timeoutScale)
    }

    /// One submit item: a fresh client id for every item without one (with or without
    /// `randomClientId`: Armada deduplicates by it, which makes a retried submit safe), and retry-policy
    /// annotations pointing at this run's policy names.
    func prepare(_ job: JobSubmitRequestItem, _ test: TestCase, _ policies: [String: String]) -> JobSubmitRequestItem {
        var item = job
        if (item.clientId ?? "").isEmpty { item.clientId = UUID().uuidString.lowercased() }
        if let names = item.annotations?[RetryGate.policyAnnotation] {
            item.annotations?[RetryGate.policyAnnotation] = names.split(separator: ",")
                .map { policies[$0.trimmingCharacters(in: .whitespaces)] ?? String($0) }.joined(separator: ",")
        }
        return item
    }
}
