import ArmadaAPI
import Runner
import Testing
import TestSpec

/// The retry assertions (README "Retry assertions"): counts, `retries:`, `strict`, `never`, runs,
/// per-job sequences and failure payloads, fed event by event.
@Suite struct RetryAssertionTests {
    func e(_ type: EventType, _ job: String = "a", retryable: Bool = false, reason: String = "", exit: Int32 = 0,
           message: String = "", pod: String = "", node: String = "") -> EventMessage {
        var m = EventMessage(type, jobId: job)
        m.retryable = retryable
        m.reason = reason
        m.podName = pod
        m.nodeName = node
        if exit != 0 || !message.isEmpty { m.containerStatuses = [ContainerStatus(name: "main", exitCode: exit, message: message)] }
        return m
    }

    func retried(_ n: Int, _ job: String = "a") -> [EventMessage] {
        (0..<n).flatMap { _ in [e(.leased, job), e(.running, job), e(.failed, job, retryable: true, exit: 1)] }
    }

    func feed(_ m: inout ExpectationMatcher, _ events: [EventMessage]) -> ExpectationMatcher.Outcome {
        var last = ExpectationMatcher.Outcome.pending
        for event in events {
            last = m.consume(event)
            if case .failed = last { return last }
        }
        return last
    }

    let retryable = FailedExpectation(retryable: true)

    func chain(times: Occurrences?, terminal: ExpectedEvent = ExpectedEvent(.failed, failed: FailedExpectation(reason: "limit"))) -> [ExpectedEvent] {
        [ExpectedEvent(.submitted), ExpectedEvent(.failed, failed: retryable, times: times), terminal]
    }

    func terminalFailure(_ job: String = "a") -> [EventMessage] {
        [e(.leased, job), e(.running, job), e(.failed, job, reason: "policy retry limit exceeded (2/2)", exit: 1)]
    }

    @Test func exactCountPasses() {
        var m = ExpectationMatcher(expected: chain(times: .exactly(2)), jobIds: ["a"])
        #expect(feed(&m, [e(.submitted)] + retried(2) + terminalFailure()) == .passed)
    }

    @Test func oneRetryTooManyFailsNamingTheCount() {
        var m = ExpectationMatcher(expected: chain(times: .exactly(2)), jobIds: ["a"])
        let outcome = feed(&m, [e(.submitted)] + retried(3) + terminalFailure())
        guard case .failed(let failure) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(failure == .tooMany(jobId: "a", expected: "failed(retryable) ×2", times: .exactly(2), seen: 3))
        #expect(failure.description.contains("occurred 3 times"))
        #expect(failure.description.contains("expected exactly 2 times"))
    }

    @Test func oneRetryTooFewFailsNamingTheCount() {
        var m = ExpectationMatcher(expected: chain(times: .exactly(2)), jobIds: ["a"])
        let outcome = feed(&m, [e(.submitted)] + retried(1) + terminalFailure())
        guard case .failed(let failure) = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
        #expect(failure.description.contains("occurred 1 time, expected exactly 2 times"))
    }

    @Test func aRangeAllowsAnyCountWithinIt() {
        for n in 0...4 {
            var m = ExpectationMatcher(expected: chain(times: Occurrences(min: 1, max: 3)), jobIds: ["a"])
            let outcome = feed(&m, [e(.submitted)] + retried(n) + terminalFailure())
            #expect((outcome == .passed) == (1...3).contains(n), "\(n) retries: \(outcome)")
        }
    }

    @Test func upstreamSubsequenceIsUnchangedWithoutTimes() {
        // [submitted, failed(retryable), succeeded] passes after three retries, as upstream.
        var m = ExpectationMatcher(expected: [ExpectedEvent(.submitted), ExpectedEvent(.failed, failed: retryable), ExpectedEvent(.succeeded)],
                                   jobIds: ["a"])
        #expect(feed(&m, [e(.submitted)] + retried(3) + [e(.leased), e(.succeeded)]) == .passed)
    }

    @Test func retriesCountsRetryableFailuresPerJob() {
        let seq = [ExpectedEvent(.submitted), ExpectedEvent(.succeeded)]
        var ok = ExpectationMatcher(expected: seq, jobIds: ["a", "b"], retries: 2)
        #expect(feed(&ok, [e(.submitted), e(.submitted, "b")] + retried(2) + retried(2, "b") + [e(.succeeded), e(.succeeded, "b")]) == .passed)

        var many = ExpectationMatcher(expected: seq, jobIds: ["a"], retries: 2)
        let over = feed(&many, [e(.submitted)] + retried(3))
        #expect(over == .failed(.retries(jobId: "a", expected: 2, seen: 3, ended: nil)))

        var few = ExpectationMatcher(expected: seq, jobIds: ["a"], retries: 2)
        let under = feed(&few, [e(.submitted)] + retried(1) + [e(.succeeded)])
        guard case .failed(let failure) = under else { Issue.record("expected a failure"); return }
        #expect(failure.description == "job a ended with succeeded after 1 retry; retries: 2 expects 2 retries")
    }

    @Test func retriesWaitsForTheTerminalEvent() {
        var m = ExpectationMatcher(expected: [ExpectedEvent(.submitted)], jobIds: ["a"], retries: 1)
        #expect(feed(&m, [e(.submitted)] + retried(1)) == .pending)
        #expect(m.consume(e(.succeeded)) == .passed)
    }

    @Test func strictForbidsUnexpectedEventsOfListedTypes() {
        let seq = [ExpectedEvent(.submitted), ExpectedEvent(.leased), ExpectedEvent(.failed, failed: retryable),
                   ExpectedEvent(.leased), ExpectedEvent(.succeeded)]
        var loose = ExpectationMatcher(expected: seq, jobIds: ["a"])
        #expect(feed(&loose, [e(.submitted)] + retried(2) + [e(.leased), e(.succeeded)]) == .passed)
        var strict = ExpectationMatcher(expected: seq, jobIds: ["a"], strict: true)
        let outcome = feed(&strict, [e(.submitted)] + retried(2) + [e(.leased), e(.succeeded)])
        guard case .failed(.strict(let id, let got, let expected)) = outcome else { Issue.record("expected strict, got \(outcome)"); return }
        #expect(id == "a" && got.hasPrefix("failed(exit 1, retryable") && expected == "succeeded")
        // Unlisted types (running) stay free.
        var exact = ExpectationMatcher(expected: seq, jobIds: ["a"], strict: true)
        #expect(feed(&exact, [e(.submitted)] + retried(1) + [e(.leased), e(.running), e(.succeeded)]) == .passed)
    }

    @Test func neverFailsAtOnceWithTheEvent() {
        let never = [ExpectedEvent(.failed, failed: FailedExpectation(retryable: false))]
        var m = ExpectationMatcher(expected: [ExpectedEvent(.submitted), ExpectedEvent(.succeeded)], jobIds: ["a", "b"], never: never)
        #expect(m.consume(e(.submitted)) == .pending)
        #expect(m.consume(e(.failed, "b", retryable: true)) == .pending) // retryable: allowed
        let outcome = m.consume(e(.failed, "b", reason: "boom", exit: 3))
        #expect(outcome == .failed(.never(jobId: "b", pattern: "failed", got: "failed(exit 3, reason \"boom\")")))
        // Without retryable the pattern matches any failure.
        var any = ExpectationMatcher(expected: [ExpectedEvent(.succeeded)], jobIds: ["a"], never: [ExpectedEvent(.failed, failed: FailedExpectation(retryable: nil))])
        guard case .failed(.never) = any.consume(e(.failed, retryable: true)) else { Issue.record("never: failed matches any failure"); return }
    }

    @Test func runIndexComesFromThePodNameOrTheLeases() {
        let seq = [ExpectedEvent(.failed, failed: retryable, runIndex: 0), ExpectedEvent(.running, runIndex: 1, podName: "-0-1$"),
                   ExpectedEvent(.succeeded, runIndex: 1)]
        var m = ExpectationMatcher(expected: seq, jobIds: ["a"])
        #expect(feed(&m, [e(.submitted), e(.leased), e(.running, pod: "armada-a-0-0"), e(.failed, retryable: true, pod: "armada-a-0-0"),
                          e(.leased), e(.running, pod: "armada-a-0-1"), e(.succeeded)]) == .passed)
        var wrong = ExpectationMatcher(expected: [ExpectedEvent(.failed, failed: retryable, runIndex: 1)], jobIds: ["a"])
        let outcome = feed(&wrong, [e(.leased), e(.failed, retryable: true, pod: "armada-a-0-0")])
        #expect(outcome == .failed(.payload(jobId: "a", field: "runIndex", expected: "1", got: "0")))
    }

    @Test func failurePayloadChecksExitCodePodAndTerminationMessage() {
        let want = FailedExpectation(retryable: false, exitCode: 3, terminationMessage: "^disk (full|gone)$")
        func run(_ event: EventMessage) -> ExpectationMatcher.Outcome {
            var m = ExpectationMatcher(expected: [ExpectedEvent(.failed, failed: want, podName: "^armada-a-0")], jobIds: ["a"])
            return m.consume(event)
        }
        #expect(run(e(.failed, exit: 3, message: "disk full", pod: "armada-a-0")) == .passed)
        #expect(run(e(.failed, exit: 5, message: "disk full", pod: "armada-a-0"))
            == .failed(.payload(jobId: "a", field: "exitCode", expected: "3", got: "5")))
        #expect(run(e(.failed, exit: 3, message: "disk is full", pod: "armada-a-0"))
            == .failed(.payload(jobId: "a", field: "terminationMessage", expected: "^disk (full|gone)$", got: "disk is full")))
        #expect(run(e(.failed, exit: 3, message: "disk gone", pod: "other"))
            == .failed(.payload(jobId: "a", field: "podName", expected: "^armada-a-0", got: "other")))
    }

    @Test func perJobSequencesFollowTheItemPosition() throws {
        var test = TestCase(file: "t.yaml", fileName: "t", name: "t", jobs: [JobSubmitRequestItem(), JobSubmitRequestItem()],
                            expectedEvents: [ExpectedEvent(.submitted), ExpectedEvent(.failed)])
        test.perJob = [JobExpectation(selector: .items([1]), expectedEvents: [ExpectedEvent(.submitted), ExpectedEvent(.succeeded)],
                                      retries: 1, items: [1])]
        // Two batches of the two items: ids 0,2 are item 0 (must fail), 1,3 item 1 (retried once, succeeds).
        let ids = ["j0", "j1", "j2", "j3"]
        var m = ExpectationMatcher(test: test, jobIds: ids)
        var events = ids.map { e(.submitted, $0) }
        events += ["j1", "j3"].flatMap { retried(1, $0) + [e(.leased, $0), e(.succeeded, $0)] }
        events += ["j0", "j2"].flatMap { terminalFailure($0) }
        #expect(feed(&m, events) == .passed)
        // Swapped outcomes fail: item 0 may not succeed.
        var swapped = ExpectationMatcher(test: test, jobIds: ids)
        let outcome = feed(&swapped, ids.map { e(.submitted, $0) } + [e(.leased, "j0"), e(.succeeded, "j0")])
        #expect(outcome == .failed(.unexpectedTerminal(jobId: "j0", expected: "failed", got: "succeeded")))
    }

    @Test func theRunHistoryShowsEachRun() {
        var m = ExpectationMatcher(expected: chain(times: .exactly(1)), jobIds: ["a"])
        _ = feed(&m, [e(.submitted), e(.leased), e(.running, node: "node-1"), e(.failed, retryable: true, reason: "x", exit: 1, node: "node-1"),
                      e(.leased), e(.running, node: "node-2"), e(.succeeded)])
        #expect(m.runHistory(of: "a") == "run 0: failed (exit 1, retryable): x on node-1; run 1: succeeded on node-2")
    }
}
