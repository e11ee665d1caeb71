import ArmadaAPI
import Foundation
import Synchronization

/// What the simulator's small Kubernetes API serves (issue #18): the pods of the pod network
/// while they run and the services of their jobs, read-only, as the slice of the API that
/// in-cluster `kubectl get`/`list` of pods and services needs (discovery, objects, label
/// selectors; tables are left to kubectl's client-side printing). `respond` is pure.
public final class KubeObjects: Sendable {
    public struct Pod: Sendable, Hashable {
        public var name: String
        public var jobId: String
        public var namespace: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var nodeName: String
        public var podIP: String
        public var containers: [(name: String, image: String)]
        public var started: Date
        public var services: [ServiceConfig]
        /// `Running` while its containers run, then `Succeeded` or `Failed` (an ended pod stays
        /// listed, as on a node until the executor deletes it).
        public var phase = "Running"
        public var ended: Date?

        public static func == (a: Pod, b: Pod) -> Bool { a.name == b.name && a.namespace == b.namespace && a.podIP == b.podIP }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }
    }

    private let pods = Mutex<[String: Pod]>([:])
    /// The API server's own address (a pod's `status.hostIP`).
    let hostIP: String

    public init(hostIP: String) { self.hostIP = hostIP }

    /// How many ended pods stay listed, and for how long at most.
    static let endedLimit = 2_000
    static let endedRetention: TimeInterval = 600

    func add(_ pod: Pod) { pods.withLock { $0[pod.namespace + "/" + pod.name] = pod } }

    /// The pod has ended: it stays listed with its final phase for a while (`endedRetention`, the
    /// newest `endedLimit` of them), as peers in a gang may still look for it.
    func finish(namespace: String, name: String, succeeded: Bool, now: Date = Date()) {
        pods.withLock { pods in
            pods[namespace + "/" + name]?.phase = succeeded ? "Succeeded" : "Failed"
            pods[namespace + "/" + name]?.ended = now
            let ended = pods.filter { $0.value.ended != nil }
            guard ended.count > Self.endedLimit || ended.contains(where: { now.timeIntervalSince($0.value.ended!) > Self.endedRetention }) else { return }
            let keep = Set(ended.sorted { $0.value.ended! > $1.value.ended! }.prefix(Self.endedLimit)
                .filter { now.timeIntervalSince($0.value.ended!) <= Self.endedRetention }.map(\.key))
            for key in ended.keys where !keep.contains(key) { pods[key] = nil }
        }
    }

    // MARK: Responses

    /// The status and JSON body for a request: `method`, `path` without its query, `query`'s parameters.
    public func respond(method: String, path: String, query: [String: String]) -> (status: Int, body: JSONValue) {
        guard method == "GET" else { return Self.status(405, "MethodNotAllowed", "the simulator's Kubernetes API is read-only") }
        let parts = path.split(separator: "/").map(String.init)
        switch parts {
        case ["version"]:
            return (200, obj(["major": .string("1"), "minor": .string("32"), "gitVersion": .string("v1.32.0-armada-sim"), "platform": .string("linux/amd64")]))
        case ["api"]:
            return (200, obj(["kind": .string("APIVersions"), "versions": .array([.string("v1")]),
                              "serverAddressByClientCIDRs": .array([obj(["clientCIDR": .string("0.0.0.0/0"), "serverAddress": .string(hostIP)])])]))
        case ["apis"]:
            return (200, obj(["kind": .string("APIGroupList"), "apiVersion": .string("v1"), "groups": .array([])]))
        case ["api", "v1"]:
            func resource(_ name: String, _ kind: String, _ short: String) -> JSONValue {
                obj(["name": .string(name), "singularName": .string(kind.lowercased()), "namespaced": .bool(true), "kind": .string(kind),
                     "verbs": .array([.string("get"), .string("list")]), "shortNames": .array([.string(short)])])
            }
            return (200, obj(["kind": .string("APIResourceList"), "groupVersion": .string("v1"),
                              "resources": .array([resource("pods", "Pod", "po"), resource("services", "Service", "svc")])]))
        default:
            break
        }
        // /api/v1/[namespaces/<ns>/]<resource>[/<name>]
        guard parts.count >= 3, parts[0] == "api", parts[1] == "v1" else { return Self.status(404, "NotFound", "the server could not find the requested resource") }
        var rest = Array(parts.dropFirst(2)), namespace: String?
        if rest.first == "namespaces", rest.count >= 3 {
            namespace = rest[1]
            rest = Array(rest.dropFirst(2))
        }
        guard let resource = rest.first, ["pods", "services"].contains(resource), rest.count <= 2 else {
            return Self.status(404, "NotFound", "the server could not find the requested resource")
        }
        let selector: [(key: String, value: String, equal: Bool)]
        switch Self.selector(query["labelSelector"] ?? "") {
        case .success(let s): selector = s
        case .failure(let error): return Self.status(400, "BadRequest", error.message)
        }
        var objects = objects(resource).filter { namespace == nil || $0.namespace == namespace }
        objects = objects.filter { o in selector.allSatisfy { (o.labels[$0.key] == $0.value) == $0.equal } }
        if rest.count == 2 {
            guard let found = objects.first(where: { $0.name == rest[1] }) else {
                return (404, obj(["kind": .string("Status"), "apiVersion": .string("v1"), "metadata": obj([:]), "status": .string("Failure"),
                                  "message": .string("\(resource) \"\(rest[1])\" not found"), "reason": .string("NotFound"),
                                  "details": obj(["name": .string(rest[1]), "kind": .string(resource)]), "code": .number("404")]))
            }
            return (200, found.json)
        }
        return (200, obj(["kind": .string(resource == "pods" ? "PodList" : "ServiceList"), "apiVersion": .string("v1"),
                          "metadata": obj(["resourceVersion": .string("1")]),
                          "items": .array(objects.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }.map(\.json))]))
    }

    struct Object {
        var name: String
        var namespace: String
        var labels: [String: String]
        var json: JSONValue
    }

    private func objects(_ resource: String) -> [Object] {
        let all = pods.withLock { Array($0.values) }
        if resource == "pods" { return all.map { Object(name: $0.name, namespace: $0.namespace, labels: $0.labels, json: podJSON($0)) } }
        return all.flatMap { pod in services(of: pod) }
    }

    private func podJSON(_ p: Pod) -> JSONValue {
        let started = Self.timestamp(p.started)
        return obj([
            "apiVersion": .string("v1"), "kind": .string("Pod"),
            "metadata": obj(["name": .string(p.name), "namespace": .string(p.namespace), "uid": .string(Self.uid(p.namespace + "/" + p.name)),
                             "resourceVersion": .string("1"), "creationTimestamp": .string(started),
                             "labels": Self.map(p.labels), "annotations": Self.map(p.annotations)]),
            "spec": obj(["nodeName": .string(p.nodeName), "restartPolicy": .string("Never"),
                         "containers": .array(p.containers.map { obj(["name": .string($0.name), "image": .string($0.image)]) })]),
            "status": obj(["phase": .string(p.phase), "podIP": .string(p.podIP), "podIPs": .array([obj(["ip": .string(p.podIP)])]),
                           "hostIP": .string(hostIP), "startTime": .string(started)]),
        ])
    }

    /// A job's services while its pod runs, as Armada names them: `armada-<jobId>-0-service-<i>`
    /// (or the service's `name`). The executor's older name `armada-<jobId>-0-<type>` (`-headless`,
    /// `-nodeport`), which upstream's test cases ask for, names the first service of each type too.
    private func services(of pod: Pod) -> [Object] {
        guard pod.ended == nil else { return [] }
        var out: [Object] = []
        var typed = Set<String>()
        for (i, service) in pod.services.enumerated() {
            let type = service.type ?? .nodePort
            let primary = HostsFile.serviceName(service, index: i, jobId: pod.jobId)
            let legacy = "armada-\(pod.jobId)-0-\(type.protoName.lowercased())"
            var names = [primary]
            if typed.insert(legacy).inserted, legacy != primary { names.append(legacy) }
            for name in names {
                let selector = ["armada_job_id": pod.labels["armada_job_id"] ?? "", "armada_queue_id": pod.labels["armada_queue_id"] ?? "",
                                "armada_pod_number": pod.labels["armada_pod_number"] ?? "0"]
                let json = obj([
                    "apiVersion": .string("v1"), "kind": .string("Service"),
                    "metadata": obj(["name": .string(name), "namespace": .string(pod.namespace), "uid": .string(Self.uid(pod.namespace + "/svc/" + name)),
                                     "resourceVersion": .string("1"), "creationTimestamp": .string(Self.timestamp(pod.started)),
                                     "labels": Self.map(selector)]),
                    "spec": obj(["type": .string(type == .headless ? "ClusterIP" : "NodePort"),
                                 "clusterIP": .string(type == .headless ? "None" : pod.podIP),
                                 "selector": Self.map(selector),
                                 "ports": .array((service.ports ?? []).map { obj(["port": .number(String($0)), "targetPort": .number(String($0)), "protocol": .string("TCP")]) })]),
                    "status": obj(["loadBalancer": obj([:])]),
                ])
                out.append(Object(name: name, namespace: pod.namespace, labels: selector, json: json))
            }
        }
        return out
    }

    // MARK: Helpers

    static func status(_ code: Int, _ reason: String, _ message: String) -> (Int, JSONValue) {
        (code, .object([.init("kind", .string("Status")), .init("apiVersion", .string("v1")), .init("metadata", .object([])),
                        .init("status", .string("Failure")), .init("message", .string(message)), .init("reason", .string(reason)),
                        .init("code", .number(String(code)))]))
    }

    /// Equality-based label selectors (`a=b`, `a==b`, `a!=b`, comma-separated); others are refused.
    struct SelectorError: Error { var message: String }

    static func selector(_ text: String) -> Result<[(key: String, value: String, equal: Bool)], SelectorError> {
        var out: [(key: String, value: String, equal: Bool)] = []
        for term in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !term.isEmpty {
            let (op, equal) = term.contains("!=") ? ("!=", false) : term.contains("==") ? ("==", true) : ("=", true)
            let pieces = term.components(separatedBy: op)
            guard pieces.count == 2, !pieces[0].isEmpty else {
                return .failure(SelectorError(message: "unable to parse requirement \(term.debugDescription): the simulator supports key=value, key==value and key!=value"))
            }
            out.append((pieces[0].trimmingCharacters(in: .whitespaces), pieces[1].trimmingCharacters(in: .whitespaces), equal))
        }
        return .success(out)
    }

    static func map(_ m: [String: String]) -> JSONValue {
        .object(m.sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) })
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// A stable UUID-shaped id for a name.
    static func uid(_ key: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(format: "%016llx%016llx", hash, hash &* 0x9E37_79B9_7F4A_7C15)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-" + String(c[20..<32])
    }
}

private func obj(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
    .object(pairs.map { JSONValue.Member($0.key, $0.value) })
}
