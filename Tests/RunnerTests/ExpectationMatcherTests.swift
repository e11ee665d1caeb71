import ArmadaAPI
import Runner
import Testing
import TestSpec

@Suite struct ExpectationMatcherTests {
    func e(_ type: EventType, _ job: String = "a", retryable: Bool = false, reason: String = "", category: String = "") -> EventMessage {
        var m = EventMessage(type, jobId: job)
        m.retryable = retryable
        m.reason = reason
        m.failureCategory = category
        return m
    }

    let seed = [ExpectedEvent(.submitted), ExpectedEvent(.leased), ExpectedEvent(.failed, failed: FailedExpectation(retryable: true)),
                ExpectedEvent(.succeeded)]

    @Test func seedSequencePassesAsASubsequence() {
        var m = ExpectationMatcher(expected: seed, jobIds: ["a"])
        for event in [e(.submitted), e(.queued), e(.leased), e(.pending), e(.running), e(.failed, retryable: true),
                      e(.leased), e(.pending), e(.running)] {
            let r1 = m.consume(event)
            #expect(r1 == .pending)
        }
        let r2 = m.consume(e(.succeeded))
        #expect(r2 == .passed)
    }

    @Test func retryableFailuresAreSkippedWhenNotExpected() {
        var m = ExpectationMatcher(expected: [ExpectedEvent(.submitted), ExpectedEvent(.succeeded)], jobIds: ["a"])
        _ = m.consume(e(.submitted))
        let r3 = m.consume(e(.failed, retryable: true))
        #expect(r3 == .pending)
        let r4 = m.consume(e(.succeeded))
        #expect(r4 == .passed)
    }

    @Test func aTerminalEventBeforeTheEndFails() {
        var m = ExpectationMatcher(expected: seed, jobIds: ["a"])
        _ = m.consume(e(.submitted))
        _ = m.consume(e(.leased))
        let r5 = m.consume(e(.failed, reason: "boom", category: "user_error"))
        #expect(r5
            == .failed(.payload(jobId: "a", field: "retryable", expected: "true", got: "false")))
        var n = ExpectationMatcher(expected: [ExpectedEvent(.submitted), ExpectedEvent(.running)], jobIds: ["a"])
        _ = n.consume(e(.submitted))
        let r6 = n.consume(e(.succeeded))
        #expect(r6 == .failed(.unexpectedTerminal(jobId: "a", expected: "running", got: "succeeded")))
    }

    @Test func failedPayloadChecks() {
        let want = ExpectedEvent(.failed, failed: FailedExpectation(reason: "exit code [0-9]+", failureCategory: "user_error"))
        var m = ExpectationMatcher(expected: [want], jobIds: ["a", "b", "c"])
        let r7 = m.consume(e(.failed, "a", reason: "Container c failed with exit code 1", category: "user_error"))
        #expect(r7 == .pending)
        let r8 = m.consume(e(.failed, "b", reason: "OOMKilled", category: "user_error"))
        #expect(r8
            == .failed(.payload(jobId: "b", field: "reason", expected: "exit code [0-9]+", got: "OOMKilled")))
        let r9 = m.consume(e(.failed, "c", reason: "exit code 3", category: "uncategorized"))
        #expect(r9
            == .failed(.payload(jobId: "c", field: "failureCategory", expected: "user_error", got: "uncategorized")))
    }

    @Test func passesOnlyWhenEveryDistinctJobIsDone() {
        // Upstream counted events: extra events of a finished job could pass a multi-job test early.
        var m = ExpectationMatcher(expected: [ExpectedEvent(.submitted)], jobIds: ["a", "b"])
        let r10 = m.consume(e(.submitted, "a"))
        #expect(r10 == .pending)
        let r11 = m.consume(e(.queued, "a"))
        #expect(r11 == .pending)
        let r12 = m.consume(e(.submitted, "a"))
        #expect(r12 == .pending)
        #expect(m.completedJobs == 1)
        let r13 = m.consume(e(.submitted, "b"))
        #expect(r13 == .passed)
        let r14 = m.consume(e(.submitted, "zzz"))
        #expect(r14 == .passed) // unknown jobs are ignored
    }

    @Test func progressSummaryGroupsJobs() {
        var m = ExpectationMatcher(expected: seed, jobIds: ["a", "b", "c"])
        _ = m.consume(e(.submitted, "a"))
        _ = m.consume(e(.leased, "a"))
        _ = m.consume(e(.submitted, "b"))
        #expect(m.progressSummary == [
            "[submitted, leased] received but [failed(retryable), succeeded] missing for 1 job(s)",
            "[submitted] received but [leased, failed(retryable), succeeded] missing for 1 job(s)",
            "[] received but [submitted, leased, failed(retryable), succeeded] missing for 1 job(s)",
        ])
        #expect(m.recentEvents(limit: 1) == ["a: submitted → leased (run 0: leased)"])
    }

    @Test func recentEventsKeepTheLastEightInOrder() {
        var m = ExpectationMatcher(expected: seed, jobIds: ["a"])
        let types: [EventType] = [.submitted, .queued, .leased, .pending, .running, .leaseReturned, .queued, .leased, .pending, .running]
        for t in types { _ = m.consume(e(t, "a")) }
        #expect(m.recentEvents() == ["a: " + types.suffix(8).map(\.rawValue).joined(separator: " → ")
                + " (run 0: lease returned; run 1: running)"])
    }

    @Test func preemptingCanBeExpected() {
        var m = ExpectationMatcher(expected: [ExpectedEvent(.preempting), ExpectedEvent(.preempted)], jobIds: ["a"])
        _ = m.consume(e(.preempting))
        let r15 = m.consume(e(.preempted))
        #expect(r15 == .passed)
    }
}

@Suite struct TrackerTests {
    func e(_ type: EventType, _ job: String, retryable: Bool = false) -> EventMessage {
        var m = EventMessage(type, jobId: job)
        m.retryable = retryable
        return m
    }

    @Test func activityEndsWhenEveryJobExited() {
        var t = JobActivityTracker(jobIds: ["a", "b"])
        let r16 = t.consume(e(.failed, "a", retryable: true))
        #expect(!r16)
        let r17 = t.consume(e(.preempted, "a"))
        #expect(!r17)
        let r18 = t.consume(e(.succeeded, "a"))
        #expect(!r18)
        let r19 = t.consume(e(.succeeded, "a"))
        #expect(!r19)
        #expect(t.duplicates == ["duplicate succeeded event for job a"])
        let r20 = t.consume(e(.cancelled, "b"))
        #expect(r20)
        #expect(t.allExited)
    }

    @Test func triggerFiresOnceWhenAllJobsReachIt() {
        var t = ActionTrigger(trigger: .failed, jobIds: ["a", "b"])
        let r21 = t.consume(e(.failed, "a", retryable: true))
        #expect(!r21)
        let r22 = t.consume(e(.failed, "a"))
        #expect(!r22)
        let r23 = t.consume(e(.failed, "b"))
        #expect(r23)
        let r24 = t.consume(e(.failed, "b"))
        #expect(!r24)
        #expect(t.fired)
    }
}
