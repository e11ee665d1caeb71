import ArmadaAPI

/// The parts of a Kubernetes pod spec the simulator reads, from the JSON tree the job carries.
struct PodSpecView: Sendable, Hashable {
    struct Container: Sendable, Hashable {
        var name: String
        var image: String
        var command: [String]?
        var args: [String]?
        /// Literal values, and downward-API field paths for `valueFrom.fieldRef`.
        var env: [(name: String, value: String?, fieldPath: String?)]
        var cpuRequest: Double
        var memoryRequest: Double?
        var memoryLimit: Double?
        var cpuLimit: Double?
        /// `limits.ephemeral-storage` in bytes.
        var ephemeralStorageLimit: Double?
        var volumeMounts: [(name: String, mountPath: String)]
        var terminationMessagePath: String
        var terminationMessagePolicy: String
        var workingDir: String?
        /// `securityContext.capabilities.add` / `.drop` (Kubernetes names: `NET_ADMIN`, `ALL`), and `privileged`.
        var capabilitiesAdd: [String] = []
        var capabilitiesDrop: [String] = []
        var privileged = false
        /// `ports[].containerPort`, the valid ones.
        var ports: [UInt16] = []

        static func == (a: Container, b: Container) -> Bool { a.name == b.name && a.image == b.image && a.command == b.command && a.args == b.args }
        func hash(into hasher: inout Hasher) { hasher.combine(name) }

        /// Kubernetes entrypoint rules: `command` replaces the entrypoint; with only `args` the
        /// first arg is the program (images without an entrypoint, such as alpine).
        var argv: [String] { (command ?? []) + (args ?? []) }
    }

    struct Volume: Sendable, Hashable {
        var name: String
        /// path → downward-API field path.
        var downwardItems: [String: String]
        var isEmptyDir: Bool
    }

    var containers: [Container]
    var initContainers: [Container]
    var volumes: [Volume]
    var activeDeadlineSeconds: Double?
    var terminationGracePeriodSeconds: Double?
    var nodeSelector: [String: String]
    var tolerations: [(key: String, op: String, value: String, effect: String)]
    var priorityClassName: String
    var restartPolicy: String

    static func == (a: PodSpecView, b: PodSpecView) -> Bool { a.containers == b.containers && a.initContainers == b.initContainers }
    func hash(into hasher: inout Hasher) { hasher.combine(containers) }

    init(_ spec: JSONValue) {
        func strings(_ v: JSONValue?) -> [String]? {
            v?.arrayValue?.map { item -> String in
                switch item {
                case .string(let s): return s
                case .number(let n): return n
                case .bool(let b): return b ? "true" : "false"
                default: return item.jsonText
                }
            }
        }
        func quantity(_ v: JSONValue?) -> Double? {
            switch v {
            case .string(let s)?: return ResourceQuantity(s)?.value
            case .number(let n)?: return Double(n)
            default: return nil
            }
        }
        func container(_ c: JSONValue) -> Container {
            let resources = c["resources"]
            return Container(
                name: c["name"]?.stringValue ?? "",
                image: c["image"]?.stringValue ?? "",
                command: strings(c["command"]),
                args: strings(c["args"]),
                env: (c["env"]?.arrayValue ?? []).map { e in
                    (e["name"]?.stringValue ?? "", e["value"]?.stringValue, e["valueFrom"]?["fieldRef"]?["fieldPath"]?.stringValue)
                },
                cpuRequest: quantity(resources?["requests"]?["cpu"]) ?? quantity(resources?["limits"]?["cpu"]) ?? 0,
                memoryRequest: quantity(resources?["requests"]?["memory"]) ?? quantity(resources?["limits"]?["memory"]),
                memoryLimit: quantity(resources?["limits"]?["memory"]) ?? quantity(resources?["requests"]?["memory"]),
                cpuLimit: quantity(resources?["limits"]?["cpu"]),
                ephemeralStorageLimit: quantity(resources?["limits"]?["ephemeral-storage"]),
                volumeMounts: (c["volumeMounts"]?.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "", $0["mountPath"]?.stringValue ?? "") },
                terminationMessagePath: c["terminationMessagePath"]?.stringValue ?? "/dev/termination-log",
                terminationMessagePolicy: c["terminationMessagePolicy"]?.stringValue ?? "File",
                workingDir: c["workingDir"]?.stringValue,
                capabilitiesAdd: strings(c["securityContext"]?["capabilities"]?["add"]) ?? [],
                capabilitiesDrop: strings(c["securityContext"]?["capabilities"]?["drop"]) ?? [],
                privileged: c["securityContext"]?["privileged"] == .bool(true),
                ports: (c["ports"]?.arrayValue ?? []).compactMap { port in
                    if case .number(let n)? = port["containerPort"] { UInt16(n) } else { nil }
                })
        }
        containers = (spec["containers"]?.arrayValue ?? []).map(container)
        initContainers = (spec["initContainers"]?.arrayValue ?? []).map(container)
        volumes = (spec["volumes"]?.arrayValue ?? []).map { v in
            var items: [String: String] = [:]
            for item in v["downwardAPI"]?["items"]?.arrayValue ?? [] {
                if let path = item["path"]?.stringValue, let field = item["fieldRef"]?["fieldPath"]?.stringValue { items[path] = field }
            }
            return Volume(name: v["name"]?.stringValue ?? "", downwardItems: items, isEmptyDir: v["emptyDir"] != nil)
        }
        if case .number(let n)? = spec["activeDeadlineSeconds"] { activeDeadlineSeconds = Double(n) }
        if case .number(let n)? = spec["terminationGracePeriodSeconds"] { terminationGracePeriodSeconds = Double(n) }
        var selector: [String: String] = [:]
        if case .object(let members)? = spec["nodeSelector"] {
            for m in members { selector[m.key] = m.value.stringValue ?? m.value.jsonText }
        }
        nodeSelector = selector
        tolerations = (spec["tolerations"]?.arrayValue ?? []).map {
            ($0["key"]?.stringValue ?? "", $0["operator"]?.stringValue ?? "Equal", $0["value"]?.stringValue ?? "", $0["effect"]?.stringValue ?? "")
        }
        priorityClassName = spec["priorityClassName"]?.stringValue ?? ""
        restartPolicy = spec["restartPolicy"]?.stringValue ?? "Never"
    }

    /// The pod's local ephemeral storage limit: the sum of its containers' limits, nil when none sets one.
    var ephemeralStorageLimit: Double? {
        let limits = (containers + initContainers).compactMap(\.ephemeralStorageLimit)
        return limits.isEmpty ? nil : limits.reduce(0, +)
    }

    /// Scheduling requirement: max(sum of main containers, max of init containers).
    var cpu: Double { max(containers.map(\.cpuRequest).reduce(0, +), initContainers.map(\.cpuRequest).max() ?? 0) }
    var memory: Double {
        max(containers.compactMap(\.memoryRequest).reduce(0, +), initContainers.compactMap(\.memoryRequest).max() ?? 0)
    }

    /// Whether the pod tolerates every NoSchedule taint of a node.
    func tolerates(_ taints: [SimConfig.Taint]) -> Bool {
        taints.allSatisfy { taint in
            tolerations.contains { t in
                (t.key.isEmpty && t.op == "Exists") || (t.key == taint.key && (t.op == "Exists" || t.value == taint.value)
                    && (t.effect.isEmpty || t.effect == taint.effect))
            }
        }
    }
}
