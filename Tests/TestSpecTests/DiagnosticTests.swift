import ArmadaAPI
import Testing
@testable import TestSpec

/// Strictness: unknown keys with positions and suggestions; every other error names its position.
@Suite struct DiagnosticTests {
    @Test func unknownKeyHasPositionPathAndSuggestion() throws {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        \(jobYAML)
            priorty: 3
        expectedEvent:
          - submitted:
        """)
        let typo = try #require(r.errors.first { $0.message.contains("expectedEvent\"") })
        #expect(typo.location == SourceLocation(file: "t.yaml", line: 11, column: 1))
        #expect(typo.message == "unknown key \"expectedEvent\" at the top level; did you mean \"expectedEvents\"?")
        #expect(typo.description == "t.yaml:11:1: error: unknown key \"expectedEvent\" at the top level; did you mean \"expectedEvents\"?")
        let nested = try #require(r.errors.first { $0.message.contains("priorty") })
        #expect(nested.path == FieldPath([.key("jobs"), .index(0)]))
        #expect(nested.description == "t.yaml:10:5: error: jobs[0]: unknown key \"priorty\"; did you mean \"priority\"?")
    }

    @Test func kubernetesObjectsAreNotKeyChecked() {
        let r = load("queue: q\nnumBatches: 1\nbatchSize: 1\n\(jobYAML)\n          whatever: 1\n      hostAliasez: []\n"
            + "expectedEvents: [{submitted: }]\n")
        #expect(errors(r) == [])
    }

    @Test func lenientTurnsUnknownKeysIntoWarnings() throws {
        let yaml = "queue: q\nqueueConfig:\n  setup:\n    numBatchez: 2\nfoo: 1\n"
        #expect(load(yaml).testCase == nil)
        let r = load(yaml, lenient: true)
        #expect(r.testCase != nil)
        #expect(r.warnings.map(\.message) == [
            "unknown key \"numBatchez\"; did you mean \"numBatches\"? (ignored: --lenient)",
            "unknown key \"foo\" at the top level (ignored: --lenient)",
        ])
    }

    @Test func legacyKeysGetAdvice() throws {
        let r = load("queue: q\nqueueConfig:\n  setup:\naction: ACTION_CANCEL\nselection: SELECTION_BY_SET\n")
        #expect(errors(r) == [
            "4:1 \"action\" is a legacy key that Armada's testsuite no longer reads",
            "5:1 \"selection\" is a legacy key that Armada's testsuite no longer reads",
        ])
        #expect(r.errors[0].hint?.contains("cancel:") == true)
        #expect(load("queue: q\nqueueConfig:\n  setup:\ncancelSet: {}\n", lenient: true).testCase != nil)
    }

    @Test func caseInsensitiveKeysLoadWithAWarning() {
        let r = load("queue: q\nqueueConfig:\n  setup:\nRandomClientID: true\n")
        #expect(r.testCase?.randomClientId == true)
        #expect(r.warnings.map(\.message) == ["key \"RandomClientID\" matches \"randomClientId\" only ignoring case"])
    }

    @Test func yamlSyntaxErrorsHavePositions() {
        #expect(errors(load("queue: q\njobs:\n  - a: [1, 2\n")).first?.hasPrefix("4:1 YAML syntax error: did not find expected ',' or ']'") == true)
        #expect(errors(load("a: b\n  c: d\n")).first?.hasPrefix("2:4 YAML syntax error: mapping values are not allowed") == true)
        #expect(errors(load("queue: q\nqueue: r\n")) == ["1:1 duplicate key \"queue\" in one mapping"])
        #expect(errors(load("a: *nope\n")).first?.contains("undefined alias") == true)
    }

    @Test func expectedEventEntryErrors() {
        let base = "queue: q\nnumBatches: 1\nbatchSize: 1\n\(jobYAML)\nexpectedEvents:\n"
        // An entry that fails to decode also leaves expectedEvents empty, which is reported at the key.
        let empty = "10:1 expectedEvents is empty: a test case with jobs could never pass"
        #expect(errors(load(base + "  - submited:\n")) == [empty, "11:5 unknown event \"submited\"; did you mean \"submitted\"?"])
        #expect(errors(load(base + "  - submitted\n"))
            == [empty, "11:5 expected an event entry such as \"- submitted:\", found the string \"submitted\""])
        #expect(load(base + "  - submitted\n").errors.last?.hint == "add a colon: - submitted:")
        #expect(errors(load(base + "  - {submitted: , queued: }\n"))
            == [empty, "11:5 an expected-event entry names exactly one event, found 2 keys"])
        #expect(errors(load(base + "  - failed: {reason: \"(x\"}\n")).first?.hasPrefix("11:22 reason \"(x\" is not a valid Go regexp: missing closing )") == true)
        #expect(errors(load(base + "  - failed: {retryable: maybe}\n")) == ["11:25 expected true or false, found the string \"maybe\""])
        #expect(errors(load(base + "  - failed: {reasn: x}\n")) == ["11:14 unknown key \"reasn\"; did you mean \"reason\"?"])
        let unchecked = load(base + "  - failed: {nodeName: n}\n  - reprioritized: {newPriority: 2}\n")
        #expect(errors(unchecked) == [])
        #expect(unchecked.warnings.map(\.message) == [
            "failed ends the job, so the 1 expected event(s) after it can never match",
            "nodeName is not checked on failed events",
            "the payload of \"reprioritized\" is not checked; only times, runIndex, podName and failed payloads are",
        ])
        #expect(unchecked.testCase?.expectedEvents[1].payload == .object([.init("newPriority", .number("2"))]))
    }

    @Test func wholeCaseChecks() {
        let noBatches = load("queue: q\n\(jobYAML)\nexpectedEvents: [{submitted: }]\nbatchSize: 1\n")
        #expect(errors(noBatches) == ["1:1 numBatches is 0 but jobs are given: upstream would submit for ever"])
        let zeroSize = load("queue: q\nnumBatches: 1\nbatchSize: 0\n\(jobYAML)\nexpectedEvents: [{submitted: }]\n")
        #expect(errors(zeroSize) == ["3:1 batchSize is 0, so every batch would be empty"])
        let noEvents = load("queue: q\nnumBatches: 1\nbatchSize: 1\n\(jobYAML)\n")
        #expect(errors(noEvents) == ["1:1 expectedEvents is empty: a test case with jobs could never pass"])
        let noQueue = load("numBatches: 1\nbatchSize: 1\n\(jobYAML)\nexpectedEvents: [{submitted: }]\n")
        #expect(errors(noQueue) == ["1:1 a test case with jobs needs a queue"])
        let noJobs = load("queue: q\nnumBatches: 2\n")
        #expect(errors(noJobs) == ["1:1 numBatches is 2 but no jobs are given"])
        let nothing = load("queue: q\n")
        #expect(nothing.testCase?.isPureQueueTest == true)
        #expect(nothing.warnings.map(\.message) == ["this test case has no jobs and no queueConfig, so it checks nothing (`test` reports it as invalid)"])
        #expect(nothing.testCase?.checksNothing == true)
    }

    @Test func warningsForLegalButSuspiciousCases() {
        let r = load("""
        queue: q
        jobSetId: mine
        numBatches: 1
        batchSize: 1
        \(jobYAML)
        expectedEvents:
          - succeeded:
          - running:
        triggerEvent: running
        """)
        #expect(errors(r) == [])
        #expect(r.warnings.map(\.message) == [
            "jobSetId is ignored: every run uses <file name>-<random id>",
            "succeeded ends the job, so the 1 expected event(s) after it can never match",
            "triggerEvent has no effect without an action",
        ])
    }

    @Test func negativeDurationsNameTheirValue() {
        let r = load("""
        queue: q
        numBatches: 1
        batchSize: 1
        timeout: "-5s"
        interval: "-1m30s"
        \(jobYAML)
        expectedEvents: [{submitted: }]
        """)
        #expect(r.warnings.map(\.message).contains("timeout -5s is negative, so the test times out at once"), "\(r.warnings)")
        #expect(r.warnings.map(\.message).contains("interval -1m30s is negative and is treated as 0"))
    }

    @Test func anExitCodeOutOfRangeIsOneErrorNamingIt() {
        let r = load("""
        queue: q
        retryPolicies:
          - name: p
            retryLimit: 1
            defaultAction: Fail
            rules: [{action: Retry, onExitCodes: {operator: In, values: [9999999999]}}]
        """)
        #expect(errors(r) == ["6:66 9999999999 is out of range: expected a whole number from -2147483648 to 2147483647"], "\(errors(r))")
    }
}
