import ArmadaAPI
import RetryEngine

extension TestCaseDecoder {
    /// Fields of `JobFailedEvent` that may be written but are not compared.
    static let uncheckedFailedFields = [
        "jobId", "jobSetId", "queue", "created", "clusterId", "exitCodes", "kubernetesId", "nodeName", "podNumber",
        "podName", "podNamespace", "containerStatuses", "cause",
    ]

    func decodeExpectedEvents(_ node: YAMLNode, _ path: FieldPath) -> [ExpectedEvent] {
        var events: [ExpectedEvent] = []
        for (itemPath, item) in context.list(node, path) {
            if let event = decodeExpectedEvent(item, itemPath) { events.append(event) }
        }
        return events
    }

    private func decodeExpectedEvent(_ item: YAMLNode, _ path: FieldPath) -> ExpectedEvent? {
        let names = EventType.allCases.map(\.rawValue)
        if case .scalar(let text, _, _) = item.kind, !item.isNull {
            let known = EventType(name: text) != nil
            context.error(item, path, "expected an event entry such as \"- submitted:\", found \(item.kindDescription)",
                          hint: known ? "add a colon: - \(text):" : "one of: \(names.joined(separator: ", "))")
            return nil
        }
        guard let pairs = context.mapping(item, path)?.allPairs else {
            if item.isNull { context.error(item, path, "empty expected-event entry", hint: "write - submitted: (or another event)") }
            return nil
        }
        guard pairs.count == 1, let pair = pairs.first, let key = pair.key.scalarText else {
            context.error(item, path, "an expected-event entry names exactly one event, found \(pairs.count) keys",
                          hint: "split it into one list item per event")
            return nil
        }
        guard let type = EventType(name: key) else {
            let suggestion = Suggestions.closest(to: key, in: names + EventType.allCases.map(\.protoName))
            context.error(pair.key, path, "unknown event \"\(key)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? ""),
                          hint: suggestion == nil ? "events: \(names.joined(separator: ", "))" : nil)
            return nil
        }
        let location = context.location(of: pair.key)
        let payloadPath = path.appending(key)
        if type == .failed {
            return ExpectedEvent(.failed, failed: decodeFailed(pair.value, payloadPath), location: location)
        }
        if pair.value.isNull { return ExpectedEvent(type, location: location) }
        guard pair.value.pairs != nil else {
            context.error(pair.value, payloadPath, "an event payload must be a mapping, found \(pair.value.kindDescription)")
            return nil
        }
        let payload = ScalarResolver.json(pair.value)
        if case .object(let members) = payload, !members.isEmpty {
            context.warning(pair.value, payloadPath, "the payload of \"\(key)\" is not checked; only failed payloads are",
                            hint: "remove it, or write - \(key): to match the event type only")
        }
        return ExpectedEvent(type, payload: payload, location: location)
    }

    private func decodeFailed(_ node: YAMLNode, _ path: FieldPath) -> FailedExpectation {
        var expectation = FailedExpectation()
        guard let m = context.mapping(node, path) else { return expectation }
        if let reasonNode = m.field("reason"), let reason = context.string(reasonNode, path.appending("reason")) {
            if !reason.isEmpty, let problem = RegexCheck.problem(in: reason) {
                context.error(reasonNode, path.appending("reason"), "reason \"\(reason)\" is not a valid regex: \(problem)",
                              hint: "reason is a regular expression matched anywhere in the event's reason; escape . ( ) [ ] with \\")
            }
            expectation.reason = reason
        }
        expectation.failureCategory = m.string("failureCategory")
        expectation.failureSubcategory = m.string("failureSubcategory")
        expectation.retryable = m.bool("retryable") ?? false
        for field in Self.uncheckedFailedFields {
            if let entry = m.entry(field) {
                context.warning(entry.key, path.appending(field), "\(field) is not checked on failed events",
                                hint: "only reason, failureCategory, failureSubcategory and retryable are compared")
            }
        }
        m.finish()
        return expectation
    }

    func decodeTrigger(_ node: YAMLNode, _ path: FieldPath) -> EventType? {
        guard let text = context.string(node, path), !text.isEmpty else { return nil }
        let allowed = TestAction.allowedTriggers
        guard let type = EventType(name: text), allowed.contains(type) else {
            let names = allowed.map(\.rawValue)
            let suggestion = Suggestions.closest(to: text, in: names)
            context.error(node, path, "unknown triggerEvent \"\(text)\"" + (suggestion.map { "; did you mean \"\($0)\"?" } ?? ""),
                          hint: "one of: \(names.joined(separator: ", "))")
            return nil
        }
        return type
    }
}
