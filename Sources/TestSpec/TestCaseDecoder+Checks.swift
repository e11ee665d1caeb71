import ArmadaAPI

extension TestCaseDecoder {
    /// Whole-case checks for mistakes upstream accepts silently and then can never pass
    /// (testcase-format §7.5, §7.6, §7.11).
    func check(_ spec: TestCase, root: YAMLNode) {
        /// The key of a top-level field (or the document when it is absent).
        func at(_ key: String) -> YAMLNode {
            let snake = MappingDecoder.snakeCase(key)
            return root.pairs?.first { $0.key.scalarText == key || $0.key.scalarText == snake }?.key ?? root
        }
        let hasJobs = !spec.jobs.isEmpty
        if hasJobs {
            if spec.numBatches == 0 {
                context.error(at("numBatches"), ["numBatches"], "numBatches is 0 but jobs are given: upstream would submit for ever",
                              hint: "set numBatches: 1")
            }
            if spec.batchSize == 0 {
                context.error(at("batchSize"), ["batchSize"], "batchSize is 0, so every batch would be empty",
                              hint: "set batchSize: 1")
            }
            if spec.totalJobs > TestCase.maxJobs {
                let total = spec.totalJobs == Int.max ? "more than \(Int.max)" : "\(spec.totalJobs)"
                context.error(at("batchSize"), ["batchSize"],
                              "this test case submits \(spec.jobs.count) job(s) × batchSize \(spec.batchSize) × numBatches \(spec.numBatches) "
                                  + "= \(total) jobs, more than the \(TestCase.maxJobs) one test case may submit",
                              hint: "lower batchSize or numBatches, or split the load over several test cases")
            }
            if spec.expectedEvents.isEmpty, spec.itemsWithoutPerJob > 0 {
                context.error(at("expectedEvents"), ["expectedEvents"],
                              spec.perJob.isEmpty ? "expectedEvents is empty: a test case with jobs could never pass"
                                  : "expectedEvents is empty, but \(spec.itemsWithoutPerJob) job(s) are in no perJob entry and follow it",
                              hint: "list the events every job must produce, for example - submitted: and - succeeded:")
            }
        } else if spec.numBatches > 0 {
            context.error(at("jobs"), ["jobs"], "numBatches is \(spec.numBatches) but no jobs are given",
                          hint: "add jobs:, or remove numBatches for a queue-only test")
        } else if spec.queueConfig == nil {
            context.warning(root, .root, TestCase.checksNothingMessage + " (`test` reports it as invalid)",
                            hint: "add jobs: and expectedEvents:, or queueConfig:")
        }
        if spec.queue.isEmpty, hasJobs || spec.queueConfig != nil {
            context.error(at("queue"), ["queue"], spec.queueConfig == nil
                ? "a test case with jobs needs a queue" : "queueConfig needs queue: as the base name of the queues it creates",
                          hint: "add queue: e2e-test-queue")
        }
        let engine = !spec.retryPolicies.isEmpty
        checkSequence(spec.expectedEvents, [.key("expectedEvents")], retries: spec.retries, engine: engine, root: root)
        for (k, entry) in spec.perJob.enumerated() {
            checkSequence(entry.expectedEvents, [.key("perJob"), .index(k), .key("expectedEvents")],
                          retries: entry.retries ?? spec.retries, engine: engine, root: root)
        }
        if let action = spec.action {
            if spec.isPureQueueTest {
                context.warning(at(action.key), [.key(action.key)], "\(action.key) is ignored: a queue-only test submits no jobs")
            }
            switch action {
            case .cancelOnNode(_, let tag), .preemptOnNode(_, let tag):
                if tag.isEmpty {
                    context.error(at(action.key), [.key(action.key), .key("nodePoolTag")],
                                  "\(action.key) needs nodePoolTag: the node is chosen by its armadaproject.io/node-pool label")
                }
            default: break
            }
        } else if spec.triggerEvent != nil {
            context.warning(at("triggerEvent"), ["triggerEvent"], "triggerEvent has no effect without an action")
        }
        if spec.timeout.nanoseconds < 0 {
            context.warning(at("timeout"), ["timeout"], "timeout \(spec.timeout) is negative, so the test times out at once",
                            hint: "write a positive duration such as 300s")
        }
        if spec.interval.nanoseconds < 0 {
            context.warning(at("interval"), ["interval"], "interval \(spec.interval) is negative and is treated as 0")
        }
    }

    /// One expected sequence: entries after a terminal one can never match; a terminal entry
    /// cannot occur more than once; `retries:` needs the sequence to name the terminal outcome.
    private func checkSequence(_ events: [ExpectedEvent], _ path: FieldPath, retries: Int?, engine: Bool, root: YAMLNode) {
        for (i, event) in events.enumerated() {
            let node = TestCaseDecoder.node(at: path.appending(index: i), in: root)
            if engine, let failed = event.failed, failed.retryable == false,
               failed.exitCode != nil || failed.terminationMessage != nil || event.podName != nil {
                context.warning(node, path.appending(index: i),
                                "under a retry policy the terminal failed event is the engine's, which carries no pod name or container "
                                    + "statuses on Armada, so exitCode, terminationMessage and podName see none",
                                hint: "check the terminal failure's reason (it ends with the final run's error), or check these on a retryable failure")
            }
            if event.isTerminal, i < events.count - 1 {
                context.warning(node, path.appending(index: i),
                                "\(event) ends the job, so the \(events.count - i - 1) expected event(s) after it can never match",
                                hint: event.type == .failed ? "add retryable: true if the job is retried after this failure" : nil)
            }
            if event.isTerminal, let times = event.times, times.min > 1 {
                context.error(node, path.appending(index: i), "\(event.type.rawValue) ends the job, so it cannot occur \(times)",
                              hint: event.type == .failed ? "add retryable: true to count retried failures" : nil)
            }
        }
        if let retries, !events.isEmpty, !(events.last!.isTerminal) {
            let node = TestCaseDecoder.node(at: path, in: root)
            context.warning(node, path, "retries: \(retries) counts each job's retries, but the sequence does not end with the job's terminal outcome",
                            hint: "end it with - succeeded: or - failed: (without retryable) so the outcome after the retries is checked")
        }
    }
}
