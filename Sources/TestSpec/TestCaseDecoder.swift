import ArmadaAPI
import RetryEngine

/// Turns the YAML documents of one file into a `TestCase` (testcase-format §1.2 done cleanly):
/// documents are shallow-merged at the top level (later documents win; a null in a later
/// document leaves an earlier value alone), then decoded with proto-JSON rules by one strict
/// decoder.
struct TestCaseDecoder {
    let context: DecodeContext

    static let topLevelKeys = [
        "name", "queue", "jobSetId", "jobs", "numBatches", "batchSize", "interval", "timeout", "randomClientId",
        "getLogs", "environment", "target", "expectedEvents", "triggerEvent", "cancel", "cancelJobSet", "preempt",
        "reprioritize", "cancelOnNode", "preemptOnNode", "queueConfig", "retryPolicies", "retries", "strict", "never",
        "perJob",
    ]

    static let legacyKeys: [String: String] = [
        "action": "before PR #5078 actions were enums; write one of cancel:, preempt: or reprioritize: with a request: block",
        "selection": "selection was removed with the action enum; cancel/preempt act on every submitted job, "
            + "cancelJobSet on the whole set, reprioritize takes byJobSet: true",
        "newPriority": "write reprioritize:\n      request:\n        newPriority: <value>",
        "preemptReason": "write preempt:\n      request:\n        reason: <text>",
        "cancelSet": "write cancelJobSet: (same request and assertInactiveSucceeds fields)",
        "authContext": "authContext is part of unmerged PR #5115; select the context with --context",
        "expectErrorCode": "expectErrorCode is part of unmerged PR #5115 and is not supported",
    ]

    /// Merges the documents into one mapping whose keys keep their own source positions.
    func merge(_ documents: [YAMLNode]) -> YAMLNode? {
        var order: [String] = []
        var chosen: [String: YAMLNode.Pair] = [:]
        var repeated: [YAMLNode.Pair] = []
        var first: YAMLNode?
        for document in documents where !document.isNull {
            guard let pairs = document.pairs else {
                context.error(document, .root, "a test-case document must be a mapping of keys such as jobs: and "
                    + "expectedEvents:, found \(document.kindDescription)")
                continue
            }
            if first == nil { first = document }
            var inThisDocument = Set<String>()
            for pair in pairs {
                let key = canonicalKey(pair.key.scalarText ?? "")
                if !inThisDocument.insert(key).inserted {
                    repeated.append(pair) // reported by the decoder as "given more than once"
                    continue
                }
                if chosen[key] == nil { order.append(key) }
                if pair.value.isNull, chosen[key] != nil { continue }
                chosen[key] = pair
            }
        }
        guard let first else { return nil }
        let pairs = order.compactMap { chosen[$0] } + repeated
        return YAMLNode(.mapping(pairs), line: first.line, column: first.column)
    }

    private func canonicalKey(_ key: String) -> String {
        for name in Self.topLevelKeys {
            let snake = MappingDecoder.snakeCase(name)
            if key == name || key == snake || key.lowercased() == name.lowercased() || key.lowercased() == snake {
                return name
            }
        }
        return key
    }

    func decode(_ root: YAMLNode, file: String, fileName: String) -> TestCase {
        var spec = TestCase(file: file, fileName: fileName, name: fileName)
        guard let m = context.mapping(root, .root) else { return spec }
        if let name = m.string("name"), !name.isEmpty { spec.name = name }
        spec.queue = m.string("queue") ?? ""
        if let entry = m.entry("jobSetId"), !entry.value.isNull {
            context.warning(entry.key, ["jobSetId"], "jobSetId is ignored: every run uses <file name>-<random id>",
                            hint: "remove the key")
        }
        spec.jobs = m.messages("jobs") { decodeJob($0) } ?? []
        spec.numBatches = m.uint32("numBatches") ?? 0
        spec.batchSize = m.uint32("batchSize") ?? 0
        spec.interval = m.duration("interval") ?? .zero
        spec.timeout = m.duration("timeout") ?? .zero
        spec.randomClientId = m.bool("randomClientId") ?? false
        spec.getLogs = m.bool("getLogs") ?? false
        spec.environment = m.string("environment") ?? ""
        spec.target = m.string("target") ?? ""
        if let node = m.field("expectedEvents") {
            spec.expectedEvents = decodeExpectedEvents(node, ["expectedEvents"])
        }
        if let node = m.field("retries") { spec.retries = decodeRetries(node, ["retries"]) }
        spec.strict = m.bool("strict") ?? false
        if let node = m.field("never") { spec.never = decodeExpectedEvents(node, ["never"], kind: .never) }
        if let node = m.field("perJob") { spec.perJob = decodePerJob(node, ["perJob"], jobs: spec.jobs) }
        if let node = m.field("triggerEvent") {
            spec.triggerEvent = decodeTrigger(node, ["triggerEvent"])
        }
        spec.actions = decodeActions(m)
        if let qc = m.mapping("queueConfig") {
            spec.queueConfig = decodeQueueConfig(qc)
        } else if let node = m.field("queueConfig"), node.isNull {
            // A null queueConfig is unset, as upstream; say so, because `queueConfig:` alone looks like a request for defaults.
            context.warning(node, ["queueConfig"], "queueConfig is null, so no queues are created",
                            hint: "write queueConfig:\n      setup:\n        numBatches: 1 to create one queue with defaults")
        }
        if let node = m.field("retryPolicies") {
            spec.retryPolicies = decodeRetryPolicies(node, ["retryPolicies"])
        }
        m.finish(legacy: Self.legacyKeys)
        return spec
    }

    /// Finds the node at `path` below `root` (camelCase or snake_case keys), or the closest ancestor.
    static func node(at path: FieldPath, in root: YAMLNode) -> YAMLNode {
        var current = root
        for component in path.components {
            switch component {
            case .key(let key):
                let snake = MappingDecoder.snakeCase(key)
                guard let pair = current.pairs?.first(where: { $0.key.scalarText == key || $0.key.scalarText == snake })
                else { return current }
                current = pair.value.isNull ? pair.key : pair.value
            case .index(let i):
                guard let items = current.items, i < items.count else { return current }
                current = items[i]
            }
        }
        return current
    }
}
