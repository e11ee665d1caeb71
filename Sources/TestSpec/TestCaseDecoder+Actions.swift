import ArmadaAPI

extension TestCaseDecoder {
    /// Every configured action in precedence order. A null value (`cancel:` alone) is no action,
    /// as upstream; a mapping whose `request` is null is an action with an empty request.
    func decodeActions(_ m: MappingDecoder) -> [TestAction] {
        var actions: [TestAction] = []
        var keyNodes: [YAMLNode] = []
        for key in TestAction.keysByPrecedence {
            guard let entry = m.entry(key) else { continue }
            let path = FieldPath([.key(key)])
            if entry.value.isNull {
                context.warning(entry.value.line == entry.key.line ? entry.key : entry.value, path,
                                "\(key) is null, so no action is configured",
                                hint: "write \(key):\n      request:\n    to run it with an empty request")
                continue
            }
            if case .scalar(let text, _, _) = entry.value.kind {
                context.error(entry.value, path, "\(key) is a message, not an enum (\"\(text)\" is the pre-2026 form)",
                              hint: "write \(key):\n      request:\n    (the runner fills in queue, job set and job ids)")
                continue
            }
            guard let a = context.mapping(entry.value, path) else { continue }
            let request = a.mapping("request")
            let action: TestAction
            switch key {
            case "cancelJobSet":
                var r = JobSetCancelRequest()
                if let request {
                    r.jobSetId = request.string("jobSetId")
                    r.queue = request.string("queue")
                    if let f = request.mapping("filter") {
                        r.filter = JobSetFilter(states: f.list("states").compactMap {
                            context.protoEnum($0.1, $0.0, as: JobState.self)
                        })
                        f.finish()
                    }
                    r.reason = request.string("reason")
                }
                action = .cancelJobSet(r, assertInactiveSucceeds: a.bool("assertInactiveSucceeds") ?? false)
            case "cancelOnNode", "preemptOnNode":
                var r = NodeCancelRequest()
                if let request {
                    r.name = request.string("name")
                    r.executor = request.string("executor")
                    r.queues = request.stringList("queues")
                    r.priorityClasses = request.stringList("priorityClasses")
                }
                let tag = a.string("nodePoolTag") ?? ""
                action = key == "cancelOnNode" ? .cancelOnNode(r, nodePoolTag: tag) : .preemptOnNode(r, nodePoolTag: tag)
            case "cancel":
                var r = JobCancelRequest()
                if let request {
                    r.jobId = request.string("jobId")
                    r.jobSetId = request.string("jobSetId")
                    r.queue = request.string("queue")
                    r.jobIds = request.stringList("jobIds")
                    r.reason = request.string("reason")
                }
                action = .cancel(r)
            case "preempt":
                var r = JobPreemptRequest()
                if let request {
                    r.queue = request.string("queue")
                    r.jobSetId = request.string("jobSetId")
                    r.jobIds = request.stringList("jobIds")
                    r.reason = request.string("reason")
                }
                action = .preempt(r, byJobSet: a.bool("byJobSet") ?? false)
            default:
                var r = JobReprioritizeRequest()
                if let request {
                    r.jobIds = request.stringList("jobIds")
                    r.jobSetId = request.string("jobSetId")
                    r.queue = request.string("queue")
                    r.newPriority = request.double("newPriority")
                }
                action = .reprioritize(r, byJobSet: a.bool("byJobSet") ?? false)
            }
            request?.finish()
            a.finish()
            actions.append(action)
            keyNodes.append(entry.key)
        }
        if actions.count > 1 {
            let ignored = actions.dropFirst().map(\.key).joined(separator: ", ")
            context.warning(keyNodes[1], FieldPath([.key(actions[1].key)]),
                            "only one action runs per test case: \(actions[0].key) runs, \(ignored) "
                                + (actions.count > 2 ? "are" : "is") + " ignored",
                            hint: "split the actions into separate test cases")
        }
        return actions
    }
}
