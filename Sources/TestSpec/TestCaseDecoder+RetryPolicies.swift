import ArmadaAPI
import RetryEngine

extension TestCaseDecoder {
    /// Inline retry policies, decoded strictly (a dropped `retryLimit` would silently mean 0) and
    /// validated with the server's rules so a bad policy fails before anything is submitted.
    func decodeRetryPolicies(_ node: YAMLNode, _ path: FieldPath) -> [RetryPolicy] {
        var policies: [RetryPolicy] = []
        var names: [String: YAMLNode] = [:]
        for (itemPath, item) in context.list(node, path) {
            guard let m = context.mapping(item, itemPath) else {
                if item.isNull { context.error(item, itemPath, "empty retry-policy entry") }
                continue
            }
            if let api = m.string("apiVersion"), api != "armadaproject.io/v1beta1" {
                context.error(m.field("apiVersion") ?? item, itemPath.appending("apiVersion"),
                              "apiVersion must be armadaproject.io/v1beta1, got \"\(api)\"")
            }
            if let kind = m.string("kind"), kind != "RetryPolicy" {
                context.error(m.field("kind") ?? item, itemPath.appending("kind"), "kind must be RetryPolicy, got \"\(kind)\"")
            }
            var policy = RetryPolicy(name: m.string("name") ?? "")
            policy.retryLimit = m.uint32("retryLimit") ?? 0
            policy.defaultAction = m.field("defaultAction").flatMap {
                friendly($0, itemPath.appending("defaultAction"), as: RetryAction.self)
            } ?? .unspecified
            policy.rules = m.messages("rules") { decodeRule($0) } ?? []
            m.finish()
            for issue in RetryPolicyValidator.validate(policy) {
                let at = TestCaseDecoder.node(at: issue.path, in: item)
                let issuePath = itemPath.appending(issue.path)
                if context.hasError(within: issuePath) { continue } // e.g. an unreadable action or exit code already reported
                let message = "retry policy \"\(policy.name)\": \(issue.message)"
                switch issue.severity {
                case .error: context.error(at, issuePath, message)
                case .warning: context.warning(at, issuePath, message)
                }
            }
            if !policy.name.isEmpty, let earlier = names[policy.name] {
                context.error(m.field("name") ?? item, itemPath.appending("name"),
                              "retry policy \"\(policy.name)\" is defined twice (first at line \(earlier.line))")
            }
            names[policy.name] = m.field("name") ?? item
            policies.append(policy)
        }
        return policies
    }

    private func decodeRule(_ m: MappingDecoder) -> RetryRule {
        var rule = RetryRule(action: m.field("action").flatMap {
            friendly($0, m.path.appending("action"), as: RetryAction.self)
        } ?? .unspecified)
        rule.onConditions = m.stringList("onConditions") ?? []
        if let e = m.mapping("onExitCodes") {
            let op = e.field("operator").flatMap { friendly($0, e.path.appending("operator"), as: ExitCodeOperator.self) }
            rule.onExitCodes = ExitCodeMatcher(operator: op ?? .unspecified, values: e.int32List("values") ?? [])
            e.finish()
        }
        rule.onTerminationMessagePattern = m.string("onTerminationMessagePattern")
        rule.onCategory = m.string("onCategory")
        rule.onSubcategory = m.string("onSubcategory")
        if let mu = m.mapping("mutate") {
            var mutation = RetryMutation()
            if let a = mu.mapping("affinity") {
                mutation.affinity = RetryAffinityMutation(avoidSameNode: a.bool("avoidSameNode") ?? false)
                a.finish()
            }
            if let r = mu.mapping("resources") {
                var resources = RetryResourceMutation()
                if let mem = r.mapping("memory") {
                    var bump = RetryResourceBump(factor: mem.double("factor"))
                    if let node = mem.field("static") {
                        bump.static = node.scalarText.flatMap { $0.isEmpty ? nil : $0 }
                        if node.scalarText == nil { context.error(node, mem.path.appending("static"), "static must be a quantity such as 512Mi") }
                    }
                    resources.memory = bump
                    mem.finish()
                }
                mutation.resources = resources
                r.finish()
            }
            rule.mutate = mutation
            mu.finish()
        }
        m.finish()
        return rule
    }

    private func friendly<E: FriendlyEnum>(_ node: YAMLNode, _ path: FieldPath, as type: E.Type) -> E? {
        guard let text = context.string(node, path) else { return nil }
        if let value = E(friendlyName: text), value.rawValue != 0 { return value }
        context.error(node, path, "unknown value \"\(text)\"; expected \(E.acceptedNames.joined(separator: " or "))")
        return nil
    }
}
