import ArmadaAPI
import Yams

/// The keys an armadactl config file may hold, and what this runner does with each. Files are read
/// strictly, like test cases: an unknown key is an error with its position and a did-you-mean; a key
/// armadactl knows but this runner does not use is a warning that names it. Keys match
/// case-insensitively, as armadactl's loader (viper and mapstructure) matches them.
struct ConfigSchema: Sendable {
    enum Use: Sendable {
        /// Read and acted on.
        case used
        /// armadactl knows it; this runner ignores it (the text says why).
        case ignored(String)
    }

    struct Key: Sendable {
        var name: String
        var use: Use
        /// The keys of a mapping value; nil for scalars, and for lists of scalars.
        var children: [Key]?
        /// The keys of each item of a list of mappings (`execAuth.env`).
        var items: [Key]?

        init(_ name: String, _ use: Use = .used, children: [Key]? = nil, items: [Key]? = nil) {
            self.name = name
            self.use = use
            self.children = children
            self.items = items
        }
    }

    /// What the check found: errors make the file unusable, warnings are printed and the run goes on.
    struct Findings: Sendable {
        var errors: [String] = []
        var warnings: [String] = []
    }

    static let openIdKeys = ["providerUrl", "clientId", "clientSecret", "scopes", "username", "password", "localPort"].map { Key($0) }
        + [Key("useAccessToken", .ignored("the access token is always sent, as armadactl's OpenID flows send it"))]

    /// The keys of one context (and of the legacy flat form at the top level).
    static let context: [Key] = [
        Key("armadaUrl"),
        Key("armadaRestUrl"),
        Key("forceNoTls"),
        Key("grpcKeepAliveTime"),
        Key("grpcKeepAliveTimeout"),
        Key("executorClusters", .ignored("this runner does not download pod logs")),
        Key("cacheRefreshToken", .ignored("tokens live for the run only; nothing is written to disk")),
        Key("basicAuth", children: [Key("username"), Key("password")]),
        Key("kubernetesNativeAuth", children: [Key("enabled"), Key("expiry")]),
        Key("kerberosAuth", children: [Key("enabled")]),
        Key("openIdAuth", children: openIdKeys),
        Key("openIdConnect", children: openIdKeys),
        Key("openIdDeviceAuth", children: openIdKeys),
        Key("openIdPasswordAuth", children: openIdKeys),
        Key("openIdClientCredentialsAuth", children: openIdKeys),
        Key("openIdKubernetesAuth", children: openIdKeys + [Key("tokenPath")]),
        Key("execAuth", children: [
            Key("cmd"), Key("args"), Key("env", items: [Key("name"), Key("value")]),
            Key("interactive", .ignored("the token command always runs without a terminal here")),
        ]),
        // This runner's own keys.
        Key("bearerToken"),
        Key("bearerTokenEnv"),
        Key("policySettle"),
    ]

    static let root: [Key] = [Key("currentContext"), Key("contexts")] + context

    /// Keys of the simulator's own config (`config/sim.yaml`), to recognise one passed by mistake.
    static let simulatorKeys: Set<String> = ["executorid", "pool", "namespaces", "nodes", "timings", "retryengine", "maxretries",
                                             "queues", "retrypolicies", "categorizer", "unpullableimages", "faults", "auth"]

    /// Checks a whole file: the top level, every context, every auth block.
    static func check(_ root: Node, path: String) -> Findings {
        var findings = Findings()
        guard case .mapping(let mapping) = root else { return findings }
        let topKeys = mapping.keys.compactMap(\.string)
        let simKeys = topKeys.filter { simulatorKeys.contains($0.lowercased()) }
        if !simKeys.isEmpty, !topKeys.contains(where: { ["contexts", "armadaresturl"].contains($0.lowercased()) }) {
            findings.errors.append("\(path): this is a simulator config (keys like \(simKeys.prefix(3).joined(separator: ", "))), "
                + "not an armadactl config: pass it to `testsuite serve --config`, and give `test` an armadactl config "
                + "(currentContext and contexts with armadaRestUrl, see config/localdev.yaml), or --embedded for the simulator")
            return findings
        }
        check(root, keys: Self.root, at: "", path: path, into: &findings) { key, value, findings in
            guard key.lowercased() == "contexts" else { return false }
            guard case .mapping(let contexts) = value else {
                findings.errors.append("\(path)\(position(value)): contexts must be a mapping of context names to their settings")
                return true
            }
            for (name, settings) in contexts {
                check(settings, keys: context, at: "contexts.\(name.string ?? "?").", path: path, into: &findings)
            }
            return true
        }
        return findings
    }

    /// Checks one mapping against `keys`; `custom` may take over a key's value (returns true when it did).
    private static func check(_ node: Node, keys: [Key], at prefix: String, path: String, into findings: inout Findings,
                              custom: (String, Node, inout Findings) -> Bool = { _, _, _ in false }) {
        if isNull(node) { return }
        guard case .mapping(let mapping) = node else {
            findings.errors.append("\(path)\(position(node)): \(prefix.isEmpty ? "the file" : String(prefix.dropLast())) must be a mapping (key: value lines)")
            return
        }
        for (keyNode, value) in mapping {
            let name = keyNode.string ?? ""
            guard let key = keys.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                let advice = Suggestions.closest(to: name, in: keys.map(\.name)).map { "did you mean \"\($0)\"?" }
                    ?? "known here: \(keys.map(\.name).joined(separator: ", "))"
                findings.errors.append("\(path)\(position(keyNode)): unknown key \"\(prefix)\(name)\"; \(advice)")
                continue
            }
            if custom(name, value, &findings) { continue }
            if case .ignored(let why) = key.use, !isOff(value) {
                findings.warnings.append("\(path)\(position(keyNode)): \(prefix)\(key.name) is an armadactl key this runner does not use: \(why)")
            }
            if let children = key.children {
                check(value, keys: children, at: prefix + key.name + ".", path: path, into: &findings)
            } else if let items = key.items, case .sequence(let list) = value {
                for (i, item) in list.enumerated() {
                    check(item, keys: items, at: "\(prefix)\(key.name)[\(i)].", path: path, into: &findings)
                }
            }
        }
    }

    /// `false`, empty or null: an ignored key set to nothing is not worth a warning.
    private static func isOff(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return isNull(node) || ["false", "0"].contains(scalar.string.lowercased())
    }

    /// An empty value, `~` or `null` (YAML's null forms).
    private static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null"].contains(scalar.string.lowercased())
    }

    /// `:line:column` of a node (1-based), or nothing when Yams kept no mark.
    static func position(_ node: Node) -> String {
        node.mark.map { ":\($0.line):\($0.column)" } ?? ""
    }
}
