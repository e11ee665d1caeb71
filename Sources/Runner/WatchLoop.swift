import ArmadaAPI
import ArmadaClient
import Foundation
import TestSpec

/// The one consumer loop of a run: every event of the job set goes to the expectation matcher, the
/// benchmark recorder, the job-activity tracker and the action trigger, until the test passes,
/// fails, times out or is interrupted.
struct WatchLoop: Sendable {
    let client: any ArmadaAPIClient
    let test: TestCase
    let queue: String
    let jobSetId: String
    let jobIds: [String]
    /// The node a node action targets (resolved by the runner).
    var node: String? = nil
    let options: JobSetWatcher.Options
    let observer: (any RunObserver)?
    let index: Int
    /// Probes the addresses of the run's `ingressInfo` events; nil: none are probed.
    var ingress: IngressProbe? = nil
    /// Where every event goes as it arrives (`--record`); nil: nowhere.
    var tape: EventTape? = nil

    struct Result: Sendable {
        var outcome: TestResult.Outcome
        var lines: [String]
        var jobs: [JobTimeline]
        var latencies: [Transition: LatencyHistogram]
        var events: Int
        var reconnects: Int
        /// The event stream ended before a verdict (a one-shot read, or a replayed tape, ran out).
        var streamEnded = false
    }

    func run(timeout: Duration) async -> Result {
        let diagnostics = WatcherDiagnostics()
        let state = WatchState(test: test, jobIds: jobIds)
        let probes = ingress.map(IngressProbes.init)
        defer { probes?.cancel() }
        let ended: (TestResult.Outcome, [String], Bool)? = try? await withThrowingTaskGroup(of: (TestResult.Outcome, [String], Bool)?.self) { group in
            group.addTask { await consume(diagnostics, state, probes) }
            if let probes {
                group.addTask {
                    // A failed probe ends the test at once: its pod may wait for the request for ever.
                    for await failure in probes.failures { return (.failed(failure), [], false) }
                    return nil
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
        let d = diagnostics.snapshot
        var result = Result(outcome: .passed, lines: [], jobs: await state.jobs(), latencies: await state.latencies(), events: d.eventsDelivered, reconnects: d.reconnects)
        if let ended, !Task.isCancelled {
            (result.outcome, result.lines, result.streamEnded) = ended
            return result
        }
        let progress = await state.report()
        result.outcome = Task.isCancelled
            ? .interrupted("interrupted while watching job set \(jobSetId)" + progress)
            : .timedOut("timed out after \(timeout.short) before every job produced its expected events" + progress)
        result.lines = ["events received: \(d.eventsDelivered), stream reconnects: \(d.reconnects)"]
        return result
    }

    /// The verdict, the log lines, and whether the stream ended first.
    private func consume(_ diagnostics: WatcherDiagnostics, _ state: WatchState, _ probes: IngressProbes?) async -> (TestResult.Outcome, [String], Bool) {
        var activity = JobActivityTracker(jobIds: jobIds)
        let ours = Set(jobIds)
        var trigger = test.trigger.map { ActionTrigger(trigger: $0, jobIds: jobIds) }
        var lines: [String] = []
        let watcher = JobSetWatcher(client: client, queue: queue, jobSetId: jobSetId, options: options, diagnostics: diagnostics)
        do {
            for try await message in watcher {
                observer?.eventReceived(index: index)
                tape?.append(message)
                let event = message.message
                if let probes, event.type == .ingressInfo, ours.contains(event.jobId) {
                    probes.start(Array(event.ingressAddresses.values))
                }
                switch await state.consume(message, received: Date()) {
                case .passed:
                    // The expectations are met; so must every ingress probe be (upstream did not wait, §7.13).
                    if let probes, probes.count > 0 {
                        if let failure = await probes.settled() { return (.failed(failure), lines, false) }
                        lines.append("ingress: \(probes.count) address\(probes.count == 1 ? "" : "es") answered HTTP 200")
                    }
                    return (.passed, lines, false)
                case .failed(let failure): return (.failed(await state.message(for: failure)), lines, false)
                case .pending: break
                }
                if trigger?.consume(event) == true, let action = test.action {
                    do {
                        try await perform(action)
                        lines.append("\(action.key) sent after every job reached \(test.trigger!.rawValue)")
                    } catch {
                        return (.error("\(action.key) failed: \(error)"), lines, false)
                    }
                }
                if activity.consume(event) {
                    return (.failed("every job has finished, but expectations are unmet" + (await state.report())), lines, false)
                }
            }
            return (.error("the event stream of job set \(jobSetId) ended" + (await state.report())), lines, true)
        } catch {
            return (.error("watching job set \(jobSetId): \(error)"), lines, false)
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
        case .cancelOnNode(let r, _):
            try await client.cancelOnNode(onNode(r))
        case .preemptOnNode(let r, _):
            try await client.preemptOnNode(onNode(r))
        }
    }

    /// A node request (cancel and preempt share the type) for the resolved node, the test's queue
    /// named by the run's own queue.
    func onNode(_ request: NodeCancelRequest) -> NodeCancelRequest {
        var r = request
        r.name = node
        r.queues = r.queues.map { $0.map { $0 == test.queue ? queue : $0 } }
        return r
    }
}
