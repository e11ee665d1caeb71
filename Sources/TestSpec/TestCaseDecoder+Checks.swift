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
            if spec.expectedEvents.isEmpty {
                context.error(at("expectedEvents"), ["expectedEvents"],
                              "expectedEvents is empty: a test case with jobs could never pass",
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
        for (i, event) in spec.expectedEvents.enumerated().dropLast() where event.isTerminal {
            let node = TestCaseDecoder.node(at: [.key("expectedEvents"), .index(i)], in: root)
            context.warning(node, FieldPath([.key("expectedEvents"), .index(i)]),
                            "\(event) ends the job, so the \(spec.expectedEvents.count - i - 1) expected event(s) after it can never match",
                            hint: event.type == .failed ? "add retryable: true if the job is retried after this failure" : nil)
        }
        if let action = spec.action {
            if spec.isPureQueueTest {
                context.warning(at(action.key), [.key(action.key)], "\(action.key) is ignored: a queue-only test submits no jobs")
            }
            if let reason = action.unsupportedReason {
                context.warning(at(action.key), .root, reason)
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
}
