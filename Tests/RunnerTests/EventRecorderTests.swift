import ArmadaAPI
import Foundation
import Runner
import Testing

@Suite struct EventRecorderTests {
    func message(_ type: EventType, _ job: String, at seconds: Double, id: String, retryable: Bool = false) -> EventStreamMessage {
        var event = EventMessage(type, jobId: job)
        event.created = Timestamp(Date(timeIntervalSince1970: seconds))
        event.retryable = retryable
        if type == .failed { event.reason = "exit 1"; event.failureCategory = "user_error" }
        return EventStreamMessage(id: id, message: event)
    }

    @Test func recordsKnownJobsInOrderWithServerTimesAndIds() {
        var recorder = EventRecorder(jobIds: ["b", "a", "b"])
        let received = Date(timeIntervalSince1970: 500)
        recorder.record(message(.submitted, "a", at: 100, id: "1:0:0:1"), received: received)
        recorder.record(message(.submitted, "x", at: 100, id: "1:0:1:1"), received: received) // not ours
        recorder.record(message(.failed, "b", at: 101, id: "2:0:0:1", retryable: true), received: received)
        var untimed = EventStreamMessage(id: "3:0:0:1", message: EventMessage(.queued, jobId: "a"))
        untimed.message.created = nil
        recorder.record(untimed, received: received)
        #expect(recorder.jobs.map(\.jobId) == ["b", "a"])
        #expect(recorder.jobs[1].events.map(\.type) == ["submitted", "queued"])
        #expect(recorder.jobs[1].events.map(\.messageId) == ["1:0:0:1", "3:0:0:1"])
        #expect(recorder.jobs[1].events[0].time == Date(timeIntervalSince1970: 100))
        #expect(recorder.jobs[1].events[1].time == received)
        let failed = recorder.jobs[0].events[0]
        #expect(failed.retryable == true && failed.reason == "exit 1" && failed.category == "user_error")
        #expect(recorder.jobs[0].chain == "failed(retryable)")
    }

    @Test func transitionsArePerJobAndPerRun() {
        var recorder = EventRecorder(jobIds: ["a"])
        let steps: [(EventType, Double, Bool)] = [
            (.submitted, 0, false), (.queued, 1, false), (.leased, 3, false), (.pending, 4, false), (.running, 7, false),
            (.failed, 8, true), (.leased, 10, false), (.running, 10.5, false), (.succeeded, 14, false),
        ]
        for (i, (type, t, retryable)) in steps.enumerated() {
            recorder.record(message(type, "a", at: t, id: "\(i)"), received: Date())
        }
        let transitions = recorder.jobs[0].transitions
        #expect(transitions.map(\.0) == [.queuedToLeased, .leasedToRunning, .runningToTerminal, .leasedToRunning, .runningToTerminal])
        #expect(transitions.map { $0.1.seconds } == [2, 4, 1, 0.5, 3.5])
    }

    @Test func outOfOrderClocksGiveNoNegativeSamples() {
        var recorder = EventRecorder(jobIds: ["a"])
        recorder.record(message(.leased, "a", at: 10, id: "1"), received: Date())
        recorder.record(message(.running, "a", at: 9, id: "2"), received: Date())
        #expect(recorder.jobs[0].transitions.isEmpty)
    }
}
