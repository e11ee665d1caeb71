import ArmadaAPI
import Testing
@testable import TestSpec

/// Multi-document files, the null rules and both name spellings (testcase-format §1.2).
@Suite struct LoaderMergeTests {
    @Test func upstreamTwoDocumentLayoutLoads() throws {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        \(jobYAML)
        ---
        timeout: "100s"
        expected_events:
          - submitted:
          - lease_returned:
          - succeeded:
        """)
        #expect(errors(r) == [])
        let t = try #require(r.testCase)
        #expect(t.timeout == .seconds(100))
        #expect(t.expectedEvents.map(\.type) == [.submitted, .leaseReturned, .succeeded])
    }

    @Test func laterDocumentsWinAndMergeIsShallow() throws {
        let r = load("""
        queue: first
        timeout: "10s"
        queueConfig:
          setup: {numBatches: 3}
          update: {priorityFactor: 2}
        ---
        queue: second
        ---
        queueConfig:
          setup: {batchSize: 4}
        """)
        #expect(errors(r) == [])
        let t = try #require(r.testCase)
        #expect(t.queue == "second" && t.timeout == .seconds(10))
        // The whole queueConfig message is replaced; nested fields are not merged.
        #expect(t.queueConfig?.setup.numBatches == 0 && t.queueConfig?.setup.batchSize == 4)
        #expect(t.queueConfig?.update == nil)
    }

    @Test func snakeCaseInALaterDocumentOverridesCamelCase() throws {
        let r = load("queue: q\nqueueConfig:\n  setup:\ntimeout: \"1s\"\n---\ntimeout: \"2s\"\nrandom_client_id: true\n")
        #expect(r.testCase?.timeout == .seconds(2))
        #expect(r.testCase?.randomClientId == true)
    }

    @Test func aNullInALaterDocumentLeavesTheEarlierValue() {
        let r = load("queue: q\nqueueConfig:\n  setup:\n---\nqueue:\n")
        #expect(r.testCase?.queue == "q")
    }

    @Test func bothSpellingsInOneDocumentAreAnError() {
        let r = load("queue: q\nqueueConfig:\n  setup:\ntimeout: \"1s\"\ntime_out: \"2s\"\n")
        #expect(errors(r).first?.hasPrefix("5:1 unknown key \"time_out\"") == true)
        let twice = load("queue: q\nqueueConfig:\n  setup:\nrandomClientId: true\nrandom_client_id: false\n")
        #expect(errors(twice) == [
            "5:1 randomClientId is given more than once: \"randomClientId\" (line 4), \"random_client_id\" (line 5)",
        ])
    }

    @Test func nullMessageIsUnsetButNullOneofEntryIsSet() throws {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        \(jobYAML)
        expectedEvents:
          - submitted:
          - queued: ~
        cancel:
        preempt:
          request:
        """)
        #expect(errors(r) == [])
        let t = try #require(r.testCase)
        #expect(t.expectedEvents.map(\.type) == [.submitted, .queued])
        #expect(t.actions == [.preempt(JobPreemptRequest(), byJobSet: false)])
        #expect(t.trigger == .running)
        #expect(r.warnings.map(\.message).contains("cancel is null, so no action is configured"))
    }

    @Test func durationsMustBeStringsWithUnits() {
        #expect(load("queue: q\nqueueConfig:\n  setup:\ntimeout: 100s\n").testCase?.timeout == .seconds(100))
        #expect(load("queue: q\nqueueConfig:\n  setup:\ntimeout: \"1.5h\"\n").testCase?.timeout == .seconds(5400))
        #expect(errors(load("queue: q\nqueueConfig:\n  setup:\ntimeout: 100\n")) == ["4:10 a bare number is not a duration"])
        #expect(errors(load("queue: q\nqueueConfig:\n  setup:\ntimeout: \"100\"\n"))
            == ["4:10 missing unit in duration \"100\""])
        #expect(errors(load("queue: q\nqueueConfig:\n  setup:\ninterval: 3d\n"))
            == ["4:11 unknown unit \"d\" in duration \"3d\""])
    }

    @Test func singleDocumentWithPodsAndDurationsWorks() {
        let r = load("""
        queue: q
        timeout: "100s"
        numBatches: 1
        batchSize: 1
        \(jobYAML)
                  resources: {limits: {memory: 25Mi}}
        expectedEvents: [{submitted: }, {succeeded: }]
        """)
        #expect(errors(r) == [])
    }

    @Test func documentsMustBeMappings() {
        #expect(errors(load("- a\n- b\n")).first?.hasPrefix("1:1 a test-case document must be a mapping") == true)
        #expect(errors(load("")) == ["1:1 the file is empty"])
        #expect(errors(load("---\n---\n")) == ["1:1 the file is empty"])
    }

    @Test func yamlAnchorsAndMergeKeysWork() throws {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 2
        jobs:
          - &job
            namespace: default
            podSpec: {containers: [{name: c, image: i}]}
          - <<: *job
            priority: 3
        expectedEvents: [{submitted: }]
        """)
        #expect(errors(r) == [])
        #expect(r.testCase?.jobs.map(\.priority) == [nil, 3])
        #expect(r.testCase?.jobs[1].namespace == "default")
    }
}
