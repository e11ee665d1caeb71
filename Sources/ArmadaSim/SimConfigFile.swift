import ArmadaAPI
import Foundation
import RetryEngine
import Yams

/// `testsuite serve --config sim.yaml`: every key overrides the default of `SimConfig`.
///
/// ```yaml
/// executorId: local-cluster
/// pool: default
/// namespaces: [default, personal-anonymous]
/// nodes: [{name: n1, cpu: 8, memory: 32Gi, labels: {a: b}, taints: [{key: k, value: v, effect: NoSchedule}]}]
/// timings: {cyclePeriod: 0.05, leaseToPending: 0.05, pendingToRunning: 0.05, defaultWorkloadDuration: 1, imagePullFailGrace: 90, timeScale: 1}
/// retryEngine: {enabled: true, globalMaxRetries: 5, defaultPolicyName: ""}
/// maxRetries: 3
/// queues: [{name: e2e-test-queue, priorityFactor: 1, retryPolicies: []}]
/// retryPolicies: [{name: p, retryLimit: 2, defaultAction: Fail, rules: [...]}]
/// categorizer: {enabled: true, defaultCategory: uncategorized, categories: [{name: oom, rules: [{onConditions: [OOMKilled]}]}]}
/// unpullableImages: "non-existing|does-not-exist"
/// images: [{pattern: 'registry\.local/tools(:.*)?', root: host, entrypoint: [mytool], tool: /usr/bin/mytool, package: mytool}]
/// faults: {cutStreamsAfter: 100, responseDelay: 0, failureRate: 0, hideNewQueuesFor: 0}
/// auth: {anonymous: true, users: {alice: {password: x, groups: [team]}}, permissions: {submit_any_jobs: [team]},
///        openIdAuth: {providerUrl: https://issuer, clientId: armada, groupsClaim: groups}}
/// ```
public enum SimConfigFile {
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static func load(path: String) throws(Problem) -> (SimConfig, SimFaults) {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "could not read \(path)") }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// `:line:column` of a YAML error, or nothing.
    static func `where`(_ error: any Error) -> String {
        switch error as? YamlError {
        case .scanner(_, _, let mark, _)?, .parser(_, _, let mark, _)?, .composer(_, _, let mark, _)?: return ":\(mark.line):\(mark.column)"
        default: return ""
        }
    }

    /// The parser's problem, without the quoted source.
    static func problem(_ error: any Error) -> String? {
        switch error as? YamlError {
        case .scanner(_, let problem, _, _)?, .parser(_, let problem, _, _)?, .composer(_, let problem, _, _)?: return problem
        default: return nil
        }
    }

    public static func parse(_ text: String, path: String) throws(Problem) -> (SimConfig, SimFaults) {
        let tree: JSONValue
        do {
            tree = try SimConfigYAML.tree(text)
        } catch let failure as SimConfigYAML.Failure {
            let position = failure.mark.map { ":\($0.line):\($0.column)" } ?? ""
            throw Problem(description: "\(path)\(position): \(failure.message)")
        } catch {
            // Position and problem only: the YAML parser's own text quotes the offending line,
            // which may hold a password.
            throw Problem(description: "\(path)\(Self.where(error)): not valid YAML" + (Self.problem(error).map { " (\($0))" } ?? ""))
        }
        guard case .object(let members) = tree else { throw Problem(description: "\(path): expected a mapping") }
        let known = ["executorId", "pool", "namespaces", "nodes", "timings", "retryEngine", "maxRetries", "queues", "retryPolicies",
                     "categorizer", "unpullableImages", "images", "faults", "auth"]
        if let unknown = members.first(where: { !known.contains($0.key) }) {
            throw Problem(description: "\(path): unknown key \"\(unknown.key)\"; known keys: \(known.joined(separator: ", "))")
        }
        var config = SimConfig()
        var faults = SimFaults()
        func decode<T: Decodable>(_ type: T.Type, _ value: JSONValue, _ key: String) throws(Problem) -> T {
            do {
                return try JSONDecoder().decode(type, from: Data(value.jsonText.utf8))
            } catch {
                throw Problem(description: "\(path): \(key): \(error)")
            }
        }
        func quantity(_ v: JSONValue?, _ key: String) throws(Problem) -> Double? {
            switch v {
            case nil: return nil
            case .number(let n)?: return Double(n)
            case .string(let s)?:
                guard let q = ResourceQuantity(s) else { throw Problem(description: "\(path): \(key): \"\(s)\" is not a quantity") }
                return q.value
            default: throw Problem(description: "\(path): \(key): expected a quantity")
            }
        }
        for m in members {
            let v = m.value
            switch m.key {
            case "executorId": config.executorId = try decode(String.self, v, m.key)
            case "pool": config.pool = try decode(String.self, v, m.key)
            case "namespaces": config.namespaces = Set(try decode([String].self, v, m.key))
            case "maxRetries": config.maxRetries = try decode(Int.self, v, m.key)
            case "unpullableImages": config.unpullableImagePattern = try decode(String.self, v, m.key)
            case "images":
                guard case .array(let items) = v else { throw Problem(description: "\(path): images: expected a list of rules") }
                switch ImageCatalogue.rules(items, key: "images") {
                case .success(let rules): config.images = rules
                case .failure(let problem): throw Problem(description: "\(path): \(problem.description)")
                }
            case "queues": config.queues = try decode([Queue].self, v, m.key)
            case "retryPolicies":
                config.retryPolicies = try decode([RetryPolicy].self, v, m.key)
                for p in config.retryPolicies {
                    if let issue = RetryPolicyValidator.validate(p).first(where: { $0.severity == .error }) {
                        throw Problem(description: "\(path): retryPolicies: \(p.name): \(issue)")
                    }
                }
            case "faults": faults = try decode(SimFaults.self, v, m.key)
            case "timings":
                var t = config.timings
                for field in v.objectMembers {
                    guard case .number(let n) = field.value, let d = Double(n) else {
                        throw Problem(description: "\(path): timings.\(field.key): expected seconds as a number")
                    }
                    switch field.key {
                    case "cyclePeriod": t.cyclePeriod = d
                    case "leaseToPending": t.leaseToPending = d
                    case "pendingToRunning": t.pendingToRunning = d
                    case "defaultWorkloadDuration": t.defaultWorkloadDuration = d
                    case "imagePullFailGrace": t.imagePullFailGrace = d
                    case "timeScale": t.timeScale = d
                    default: throw Problem(description: "\(path): timings: unknown key \"\(field.key)\"")
                    }
                }
                config.timings = t
            case "retryEngine":
                for field in v.objectMembers {
                    switch field.key {
                    case "enabled": config.retryEngineEnabled = try decode(Bool.self, field.value, "retryEngine.enabled")
                    case "globalMaxRetries": config.globalMaxRetries = try decode(Int.self, field.value, "retryEngine.globalMaxRetries")
                    case "defaultPolicyName": config.defaultPolicyName = try decode(String.self, field.value, "retryEngine.defaultPolicyName")
                    default: throw Problem(description: "\(path): retryEngine: unknown key \"\(field.key)\"")
                    }
                }
            case "nodes":
                config.nodes = try v.arrayValue.orEmpty.enumerated().map { (i, n) throws(Problem) -> SimConfig.Node in
                    let key = "nodes[\(i)]"
                    guard let name = n["name"]?.stringValue else { throw Problem(description: "\(path): \(key): a node needs a name") }
                    var node = SimConfig.Node(name: name)
                    node.cpu = try quantity(n["cpu"], key + ".cpu") ?? node.cpu
                    node.memory = try quantity(n["memory"], key + ".memory") ?? node.memory
                    if let labels = n["labels"] { node.labels = try decode([String: String].self, labels, key + ".labels") }
                    node.taints = n["taints"]?.arrayValue.orEmpty.map {
                        SimConfig.Taint(key: $0["key"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "",
                                        effect: $0["effect"]?.stringValue ?? "NoSchedule")
                    } ?? []
                    return node
                }
            case "categorizer": config.categorizer = try categorizer(v, path)
            case "auth":
                var auth = SimAuth()
                // With auth configured, the admin endpoints are for the groups granted sim_admin only.
                auth.permissionGroups[SimAuth.adminPermission] = []
                if case .bool(let b)? = v["anonymous"] { auth.anonymousEnabled = b }
                for u in v["users"]?.objectMembers ?? [] {
                    auth.users[u.key] = SimAuth.User(password: u.value["password"]?.stringValue ?? "",
                                                    groups: u.value["groups"]?.arrayValue.orEmpty.compactMap(\.stringValue) ?? [])
                }
                for p in v["permissions"]?.objectMembers ?? [] {
                    auth.permissionGroups[p.key] = p.value.arrayValue.orEmpty.compactMap(\.stringValue)
                }
                if let openId = v["openIdAuth"] {
                    guard let url = openId["providerUrl"]?.stringValue, URL(string: url)?.host != nil,
                          let clientId = openId["clientId"]?.stringValue, !clientId.isEmpty else {
                        throw Problem(description: "\(path): auth.openIdAuth needs providerUrl (the issuer's URL) and clientId "
                            + "(the audience tokens must carry)")
                    }
                    auth.openId = SimOpenIdAuth(providerUrl: url, clientId: clientId,
                                                groupsClaim: openId["groupsClaim"]?.stringValue ?? "groups")
                }
                config.auth = auth
            default: break
            }
        }
        return (config, faults)
    }

    static func categorizer(_ v: JSONValue, _ path: String) throws(Problem) -> ErrorCategorizer {
        var c = ErrorCategorizer(categories: [])
        if case .bool(let b)? = v["enabled"] { c.enabled = b }
        c.defaultCategory = v["defaultCategory"]?.stringValue ?? c.defaultCategory
        c.defaultSubcategory = v["defaultSubcategory"]?.stringValue ?? ""
        for (i, category) in (v["categories"]?.arrayValue ?? []).enumerated() {
            guard let name = category["name"]?.stringValue, !name.isEmpty else {
                throw Problem(description: "\(path): categorizer.categories[\(i)]: a category needs a name")
            }
            var rules: [ErrorCategorizer.Rule] = []
            for rule in category["rules"]?.arrayValue ?? [] {
                let sub = rule["subcategory"]?.stringValue ?? ""
                let container = rule["containerName"]?.stringValue
                if let conditions = rule["onConditions"]?.arrayValue {
                    rules.append(.init(.conditions(conditions.compactMap(\.stringValue)), subcategory: sub, containerName: container))
                } else if let codes = rule["onExitCodes"] {
                    let op = codes["operator"]?.stringValue ?? "In"
                    let values = codes["values"]?.arrayValue.orEmpty.compactMap { v -> Int32? in
                        if case .number(let n) = v { return Int32(n) }
                        return nil
                    } ?? []
                    rules.append(.init(.exitCodes(in: op.lowercased() == "in", values: values), subcategory: sub, containerName: container))
                } else if let pattern = rule["onTerminationMessage"]?["pattern"]?.stringValue {
                    rules.append(.init(.terminationMessage(pattern), subcategory: sub, containerName: container))
                } else if let pattern = rule["onPodError"]?["pattern"]?.stringValue {
                    rules.append(.init(.podError(pattern), subcategory: sub, containerName: container))
                } else {
                    throw Problem(description: "\(path): categorizer.categories[\(i)] (\(name)): a rule needs onConditions, onExitCodes, onTerminationMessage or onPodError")
                }
            }
            guard !rules.isEmpty else { throw Problem(description: "\(path): category \(name) needs at least one rule") }
            c.categories.append(.init(name: name, rules: rules))
        }
        return c
    }
}

extension JSONValue {
    var objectMembers: [Member] {
        if case .object(let m) = self { return m }
        return []
    }
}

extension Optional where Wrapped == [JSONValue] {
    var orEmpty: [JSONValue] { self ?? [] }
}
