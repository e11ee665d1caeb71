import ArmadaAPI
import ArmadaClient
import TestSpec

/// The one consumer loop of a run: every event of the job set goes to the expectation matcher,
/// the job-activity tracker and the action trigger, until the test passes, fails, or times out.
struct WatchLoop: Sendable {
    let client: ArmadaRESTClient
    let test: TestCase
    let queue: String
    let jobSetId: String
    let jobIds: [String]
    let options: JobSetWatcher.Options

    func run(timeout: Duration) async -> (TestResult.Outcome, [String]) {
        let diagnostics = WatcherDiagnostics()
        let progress = ProgressBox(expected: test.expectedEvents, jobIds: jobIds)
        let result: (TestResult.Outcome, [String])? = try? await withThrowingTaskGroup(of: (TestResult.Outcome, [String])?.self) { group in
            group.addTask { await consume(diagnostics, progress) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        if let result { return result }
        let summary = await progress.summary()
        var message = "timed out after \(timeout) before every job produced its expected events"
        if !summary.isEmpty { message += "; " + summary.joined(separator: ", ") }
        let d = diagnostics.snapshot
        var lines = ["events received: \(d.eventsDelivered), stream reconnects: \(d.reconnects)"]
        lines += await progress.recent()
        return (.failed(message), lines)
    }

    private func consume(_ diagnostics: WatcherDiagnostics, _ progress: ProgressBox) async -> (TestResult.Outcome, [String]) {
        var activity = JobActivityTracker(jobIds: jobIds)
        var trigger = test.trigger.map { ActionTrigger(trigger: $0, jobIds: jobIds) }
        var lines: [String] = []
        let watcher = JobSetWatcher(client: client, queue: queue, jobSetId: jobSetId, options: options, diagnostics: diagnostics)
        do {
            for try await message in watcher {
                let event = message.message
                switch await progress.consume(event) {
                case .passed: return (.passed, lines)
                case .failed(let failure): return (.failed(failure.description), lines)
                case .pending: break
                }
                if trigger?.consume(event) == true, let action = test.action {
                    do {
                        try await perform(action)
                        lines.append("\(action.key) sent after every job reached \(test.trigger!.rawValue)")
                    } catch {
                        return (.failed("\(action.key) failed: \(error)"), lines)
                    }
                }
                if activity.consume(event) {
                    let summary = await progress.summary()
                    return (.failed("every job has finished, but expectations are unmet: " + summary.joined(separator: ", ")), lines)
                }
            }
            return (.error("the event stream ended"), lines)
        } catch {
            return (.error("watching job set \(jobSetId): \(error)"), lines)
        }
    }

    func perform(_ action: TestAction) async throws {
        switch action {
        case .cancelJobSet(var r, _):
            r.queue = queue
            r.jobSetId = jobSetId
            try await client.cancelJobSet(r)
        case .cancel(var r):
            r.queue = queue
            r.jobSetId = jobSetId
            r.jobIds = jobIds
            _ = try await client.cancelJobs(r)
        case .preempt(var r, _):
            r.queue = queue
            r.jobSetId = jobSetId
            r.jobIds = jobIds
            _ = try await client.preemptJobs(r)
        case .reprioritize(var r, let byJobSet):
            r.queue = queue
            r.jobSetId = jobSetId
            r.jobIds = byJobSet ? nil : jobIds
            _ = try await client.reprioritizeJobs(r)
        case .cancelOnNode, .preemptOnNode:
            throw ArmadaError(.configuration, endpoint: "", message: "\(action.key) needs the gRPC transport")
        }
    }
}

/// The matcher, shared by the consumer and the timeout report.
actor ProgressBox {
    private var matcher: ExpectationMatcher

    init(expected: [ExpectedEvent], jobIds: [String]) { matcher = ExpectationMatcher(expected: expected, jobIds: jobIds) }

    func consume(_ event: EventMessage) -> ExpectationMatcher.Outcome { matcher.consume(event) }
    func summary() -> [String] { matcher.progressSummary }
    func recent() -> [String] { matcher.recentEvents().map { "last events: " + $0 } }
}
