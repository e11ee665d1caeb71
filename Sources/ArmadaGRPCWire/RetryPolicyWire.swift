import ArmadaGRPC
import RetryEngine

/// Retry policies between the engine's model and `api.RetryPolicy` (with PR #4804's matcher fields
/// 2–4 restored). Towards the model, empty strings are absent, as the gateway's JSON leaves them out.
public enum RetryPolicyWire {
    public static func proto(from policy: RetryPolicy) -> Api_RetryPolicy {
        var p = Api_RetryPolicy()
        p.name = policy.name
        p.retryLimit = policy.retryLimit
        p.defaultAction = action(policy.defaultAction)
        p.rules = policy.rules.map { rule in
            var r = Api_RetryRule()
            r.action = action(rule.action)
            r.onConditions = rule.onConditions
            if let codes = rule.onExitCodes {
                var m = Api_RetryExitCodeMatcher()
                m.operator = Api_ExitCodeOperator(rawValue: codes.operator.rawValue) ?? .unspecified
                m.values = codes.values
                r.onExitCodes = m
            }
            r.onTerminationMessagePattern = rule.onTerminationMessagePattern ?? ""
            r.onCategory = rule.onCategory ?? ""
            r.onSubcategory = rule.onSubcategory ?? ""
            if let mutate = rule.mutate {
                var m = Api_RetryMutation()
                if let affinity = mutate.affinity { m.affinity.avoidSameNode = affinity.avoidSameNode }
                if let resources = mutate.resources {
                    m.resources = Api_RetryResourceMutation()
                    if let memory = resources.memory {
                        m.resources.memory.static = memory.static ?? ""
                        m.resources.memory.factor = memory.factor ?? 0
                    }
                }
                r.mutate = m
            }
            return r
        }
        return p
    }

    public static func policy(from p: Api_RetryPolicy) -> RetryPolicy {
        RetryPolicy(name: p.name, retryLimit: p.retryLimit, defaultAction: action(p.defaultAction), rules: p.rules.map { r in
            RetryRule(action: action(r.action), onConditions: r.onConditions,
                      onExitCodes: r.hasOnExitCodes
                          ? ExitCodeMatcher(operator: ExitCodeOperator(rawValue: r.onExitCodes.operator.rawValue) ?? .unspecified,
                                            values: r.onExitCodes.values) : nil,
                      onTerminationMessagePattern: nonEmpty(r.onTerminationMessagePattern), onCategory: nonEmpty(r.onCategory),
                      onSubcategory: nonEmpty(r.onSubcategory),
                      mutate: r.hasMutate ? RetryMutation(
                          affinity: r.mutate.hasAffinity ? RetryAffinityMutation(avoidSameNode: r.mutate.affinity.avoidSameNode) : nil,
                          resources: r.mutate.hasResources ? RetryResourceMutation(memory: r.mutate.resources.hasMemory
                              ? RetryResourceBump(static: nonEmpty(r.mutate.resources.memory.static),
                                                  factor: r.mutate.resources.memory.factor == 0 ? nil : r.mutate.resources.memory.factor)
                              : nil) : nil) : nil)
        })
    }

    static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// An unknown number is kept out of the model's range: it reads as unspecified, which
    /// validation rejects, as the server rejects an action it does not know.
    static func action(_ a: Api_RetryAction) -> RetryAction { RetryAction(rawValue: a.rawValue) ?? .unspecified }
    static func action(_ a: RetryAction) -> Api_RetryAction { Api_RetryAction(rawValue: a.rawValue) ?? .unspecified }
}
