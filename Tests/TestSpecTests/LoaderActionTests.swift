import ArmadaAPI
import Testing
@testable import TestSpec

@Suite struct LoaderActionTests {
    let base = "queue: q\nnumBatches: 1\nbatchSize: 1\n\(jobYAML)\nexpectedEvents: [{submitted: }]\n"

    @Test func eachActionWithItsRequestAndDefaultTrigger() throws {
        let cases: [(String, TestAction, EventType)] = [
            ("cancel:\n  request:\n    reason: r\n", .cancel(JobCancelRequest(reason: "r")), .queued),
            ("cancelJobSet:\n  request:\n    filter: {states: [QUEUED, 2]}\n  assertInactiveSucceeds: true\n",
             .cancelJobSet(JobSetCancelRequest(filter: JobSetFilter(states: [.queued, .running])), assertInactiveSucceeds: true),
             .queued),
            ("preempt:\n  request: {reason: why}\n  byJobSet: true\n",
             .preempt(JobPreemptRequest(reason: "why"), byJobSet: true), .running),
            ("reprioritize:\n  request: {newPriority: 3}\n",
             .reprioritize(JobReprioritizeRequest(newPriority: 3), byJobSet: false), .running),
            ("cancelOnNode:\n  request: {executor: local-cluster, queues: [q], priorityClasses: [pc]}\n  nodePoolTag: node-ops\n",
             .cancelOnNode(NodeCancelRequest(executor: "local-cluster", queues: ["q"], priorityClasses: ["pc"]),
                           nodePoolTag: "node-ops"), .running),
            ("preemptOnNode:\n  request:\n  nodePoolTag: node-ops\n",
             .preemptOnNode(NodeCancelRequest(), nodePoolTag: "node-ops"), .running),
        ]
        for (yaml, action, trigger) in cases {
            let r = load(base + yaml)
            #expect(errors(r) == [], "\(yaml)")
            #expect(r.testCase?.action == action)
            #expect(r.testCase?.trigger == trigger)
        }
    }

    @Test func severalActionsRunByPrecedenceWithAWarning() throws {
        let r = load(base + "cancel:\n  request:\ncancelJobSet:\n  request:\nreprioritize:\n  request:\n")
        #expect(r.testCase?.actions.map(\.key) == ["cancelJobSet", "cancel", "reprioritize"])
        #expect(r.warnings.map(\.message)
            == ["only one action runs per test case: cancelJobSet runs, cancel, reprioritize are ignored"])
    }

    @Test func triggerEventIsCheckedAtLoadTime() {
        #expect(load(base + "cancel:\n  request:\ntriggerEvent: pending\n").testCase?.trigger == .pending)
        let bad = load(base + "cancel:\n  request:\ntriggerEvent: runing\n")
        #expect(errors(bad) == ["13:15 unknown triggerEvent \"runing\"; did you mean \"running\"?"])
        #expect(errors(load(base + "cancel:\n  request:\ntriggerEvent: reprioritized\n"))
            == ["13:15 unknown triggerEvent \"reprioritized\""])
    }

    @Test func legacyEnumFormOfCancelIsAnError() {
        #expect(errors(load(base + "cancel: BY_ID\n")) == ["11:9 cancel is a message, not an enum (\"BY_ID\" is the pre-2026 form)"])
    }

    @Test func nodeActionsNeedANodePoolTag() {
        #expect(errors(load(base + "cancelOnNode:\n  request:\n")).contains(
            "11:1 cancelOnNode needs nodePoolTag: the node is chosen by its armadaproject.io/node-pool label"))
    }

    @Test func unknownJobStateAndRequestKeys() {
        let r = load(base + "cancelJobSet:\n  request:\n    filter: {states: [RUNING]}\n    jobIds: [a]\n")
        #expect(errors(r) == [
            "13:23 unknown value \"RUNING\"; did you mean \"RUNNING\"? expected one of QUEUED, PENDING, RUNNING, SUCCEEDED, FAILED, UNKNOWN, SUBMITTED, LEASED, PREEMPTED, CANCELLED, REJECTED",
            "14:5 unknown key \"jobIds\"",
        ])
    }

    @Test func queueConfigPhases() throws {
        let r = load("""
        queue: base
        timeout: "60s"
        queueConfig:
          setup:
            numBatches: 2
            batchSize: 3
            interval: "1s"
            queueSpec:
              priorityFactor: 3
              cordoned: false
              userOwners: [u]
              groupOwners: [g]
              labels: {k: v}
              retryPolicies: [p]
              permissions:
                - subjects: [{kind: Group, name: g1}]
                  verbs: [submit, cancel]
              resourceLimitsByPriorityClassName:
                armada-default:
                  maximumResourceFraction: {cpu: 0.5}
                  maximumResourceFractionByPool:
                    default: {maximumResourceFraction: {memory: 0.25}}
          update: {priorityFactor: 2}
          assertions:
            - activeInPool: default
              appearsInStream: true
            - matches: {priorityFactor: 2}
            - deleted: true
        """)
        #expect(errors(r) == [])
        let qc = try #require(r.testCase?.queueConfig)
        #expect(qc.setup.queueCount == 6 && qc.setup.interval == .seconds(1))
        let spec = try #require(qc.setup.queueSpec)
        #expect(spec.priorityFactor == 3 && spec.cordoned == false && spec.labels == ["k": "v"] && spec.retryPolicies == ["p"])
        #expect(spec.permissions == [Queue.Permissions(subjects: [Queue.Subject(kind: "Group", name: "g1")], verbs: ["submit", "cancel"])])
        #expect(spec.resourceLimitsByPriorityClassName?["armada-default"]?.maximumResourceFractionByPool?["default"]?
            .maximumResourceFraction == ["memory": 0.25])
        #expect(qc.update == Queue(priorityFactor: 2))
        #expect(qc.assertions == [QueueAssertion(activeInPool: "default", appearsInStream: true),
                                  QueueAssertion(matches: Queue(priorityFactor: 2)), QueueAssertion(deleted: true)])
        #expect(qc.assertsDeletion)
        #expect(r.testCase?.isPureQueueTest == true)
    }

    @Test func queueConfigDefaultsAndChecks() {
        let defaults = load("queue: q\nqueueConfig:\n  setup:\n")
        #expect(defaults.testCase?.queueConfig?.setup.queueCount == 1)
        let null = load("queue: q\nqueueConfig:\n")
        #expect(null.testCase?.queueConfig == nil)
        #expect(null.warnings.map(\.message).contains("queueConfig is null, so no queues are created"))
        #expect(errors(load("queue: q\nqueueConfig:\n  update: {priorityFactor: 0.5}\n"))
            == ["3:28 priorityFactor must be at least 1 (0 means the default, 1), got 0.5"])
        #expect(errors(load("queueConfig:\n  setup:\n")) == ["1:1 queueConfig needs queue: as the base name of the queues it creates"])
    }
}
