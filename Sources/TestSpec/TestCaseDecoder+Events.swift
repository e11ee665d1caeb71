import ArmadaAPI
import RetryEngine

extension TestCaseDecoder {
    /// Where an event entry sits: `expectedEvents` (upstream meaning, plus counts and run checks)
    /// or `never:` (a pattern; `failed` fields not written are not compared, `times` makes no sense).
    enum EventListKind {
        case expected, never
    }

    /// Fields of `JobFailedEvent` that may be written but are not compared.
    static let uncheckedFailedFields = [
        "jobId", "jobSetId", "queue", "created", "clusterId", "exitCodes", "kubernetesId", "nodeName", "podNumber",
        "podNamespace", "containerStatuses", "cause",
    ]

    func decodeExpectedEvents(_ node: YAMLNode, _ path: FieldPath, kind: EventListKind = .expected) -> [ExpectedEvent] {
        var events: [ExpectedEvent] = []
        for (itemPath, item) in context.list(node, path) {
            if let event = decodeExpectedEvent(item, itemPath, kind: kind) { events.append(event) }
        }
        return events
    }

    private func decodeExpectedEvent(_ item: YAMLNode, _ path: FieldPath, kind: EventListKind) -> ExpectedEvent? {
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
        var event = ExpectedEvent(type, location: context.location(of: pair.key))
        if kind == .never, type == .failed { event.failed?.retryable = nil }
        let payloadPath = path.appending(key)
        if pair.value.isNull { return event }
        guard let m = context.mapping(pair.value, payloadPath) else { return nil }
        decodeEventChecks(m, type: type, kind: kind, into: &event)
        if type == .failed {
            event.failed = decodeFailed(m, kind: kind, payloadPath)
            m.finish()
            return event
        }
        var unchecked: [YAMLNode.Pair] = []
        for pair in m.allPairs where !Self.eventCheckKeys.contains(pair.key.scalarText ?? "") { unchecked.append(pair) }
        if !unchecked.isEmpty {
            context.warning(unchecked[0].key, payloadPath, "the payload of \"\(key)\" is not checked; only times, runIndex, podName and failed payloads are",
                            hint: "remove it, or write - \(key): to match the event type only")
            event.payload = .object(unchecked.map { JSONValue.Member($0.key.scalarText ?? "", ScalarResolver.json($0.value)) })
        }
        return event
    }

    static let eventCheckKeys: Set<String> = ["times", "runIndex", "run_index", "podName", "pod_name"]

    /// `times`, `runIndex` and `podName`, which every event type takes.
    private func decodeEventChecks(_ m: MappingDecoder, type: EventType, kind: EventListKind, into event: inout ExpectedEvent) {
        if let entry = m.entry("times") {
            if kind == .never {
                context.error(entry.key, m.path.appending("times"), "times has no meaning in never:, which allows no occurrence at all")
            } else {
                event.times = decodeTimes(entry.value, m.path.appending("times"), type: type)
            }
        }
        if let node = m.field("runIndex"), let n = context.integer(node, m.path.appending("runIndex"), as: Int64.self) {
            if n < 0 || n > Int64(Occurrences.limit) {
                context.error(node, m.path.appending("runIndex"), "runIndex \(n) is out of range: runs are numbered from 0 to \(Occurrences.limit)")
            } else {
                event.runIndex = Int(n)
            }
        }
        if let entry = m.entry("podName") {
            if !ExpectedEvent.podNameTypes.contains(type) {
                let carriers = ExpectedEvent.podNameTypes.map(\.rawValue).sorted().joined(separator: ", ")
                context.error(entry.key, m.path.appending("podName"), "\(type.rawValue) events carry no pod name, so podName could never match",
                              hint: "check podName on one of: \(carriers)")
            } else {
                event.podName = regex(entry.value, m.path.appending("podName"), what: "podName")
            }
        }
    }

    /// `times: 2`, or `times: {min: 1, max: 3}` (either bound may be left out, not both).
    private func decodeTimes(_ node: YAMLNode, _ path: FieldPath, type: EventType) -> Occurrences? {
        let limit = Int64(Occurrences.limit)
        func count(_ node: YAMLNode, _ path: FieldPath, lowest: Int64) -> Int? {
            guard let n = context.integer(node, path, as: Int64.self) else { return nil }
            guard n >= lowest, n <= limit else {
                context.error(node, path, "\(n) is out of range: write a count from \(lowest) to \(limit)",
                              hint: lowest > 0 ? "to say an event must not occur, list it under never:" : nil)
                return nil
            }
            return Int(n)
        }
        if node.scalarText != nil {
            return count(node, path, lowest: 1).map(Occurrences.exactly)
        }
        guard let m = context.mapping(node, path) else { return nil }
        let minNode = m.field("min"), maxNode = m.field("max")
        m.finish()
        guard minNode != nil || maxNode != nil else {
            context.error(node, path, "times needs a count or a {min, max} range", hint: "write times: 2 or times: {min: 1, max: 3}")
            return nil
        }
        let min = minNode.map { count($0, path.appending("min"), lowest: 0) } ?? 0
        let max = maxNode.map { count($0, path.appending("max"), lowest: 1) }
        guard let min, max.map({ $0 != nil }) ?? true else { return nil }
        if let upper = max ?? nil, upper < min {
            context.error(maxNode!, path.appending("max"), "max \(upper) is less than min \(min)")
            return nil
        }
        return Occurrences(min: min, max: max ?? nil)
    }

    private func decodeFailed(_ m: MappingDecoder, kind: EventListKind, _ path: FieldPath) -> FailedExpectation {
        var expectation = FailedExpectation(retryable: kind == .never ? nil : false)
        if let node = m.field("reason") { expectation.reason = regex(node, path.appending("reason"), what: "reason") }
        expectation.failureCategory = m.string("failureCategory")
        expectation.failureSubcategory = m.string("failureSubcategory")
        if let retryable = m.bool("retryable") { expectation.retryable = retryable }
        if let node = m.field("exitCode"), let code = context.integer(node, path.appending("exitCode"), as: Int32.self) {
            expectation.exitCode = code
        }
        if let node = m.field("terminationMessage") {
            expectation.terminationMessage = regex(node, path.appending("terminationMessage"), what: "terminationMessage")
        }
        for field in Self.uncheckedFailedFields {
            if let entry = m.entry(field) {
                context.warning(entry.key, path.appending(field), "\(field) is not checked on failed events",
                                hint: "compared are reason, failureCategory, failureSubcategory, retryable, exitCode, "
                                    + "terminationMessage, podName, runIndex and times")
            }
        }
        return expectation
    }

    /// A Go regexp (as Armada and the upstream runner compile it); an error names the construct Go rejects.
    private func regex(_ node: YAMLNode, _ path: FieldPath, what: String) -> String? {
        guard let text = context.string(node, path) else { return nil }
        if !text.isEmpty, let problem = RegexCheck.problem(in: text) {
            context.error(node, path, "\(what) \"\(text)\" is not a valid Go regexp: \(problem)",
                          hint: "\(what) is a Go (RE2) regular expression matched anywhere in the text; escape . ( ) [ ] with \\")
        }
        return text
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
