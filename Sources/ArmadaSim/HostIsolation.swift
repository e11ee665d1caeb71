import Foundation

/// What this host lets the process runtime do to keep pods apart from it, and memory limits.
///
/// The sandbox (`namespaces`): each container runs in new user, PID, mount, UTS and IPC
/// namespaces, and a network namespace per pod. Pod root maps to one unprivileged host uid (`podUID`) when the simulator runs as root,
/// or to the simulator's own user otherwise, so a pod can never do more on the host than that uid;
/// its PID namespace has a fresh `/proc` and ends with its main process; its network namespace is
/// the pod's (`PodNetwork`; loopback only without the pod network); `no_new_privs` is set and
/// capabilities are limited to Kubernetes' default set.
struct HostIsolation: Sendable {
    enum Sandbox: Sendable, Equatable {
        /// The full sandbox; `hostUID` is the host uid pod root maps to, nil for the current user.
        case namespaces(hostUID: UInt32?)
        /// Root without user namespaces, allowed by `--allow-host-root`: every namespace but the
        /// user one, so pod root is host root.
        case hostRoot
        /// No namespaces (not root, no user namespaces): commands run as this user; pods with
        /// volumes are refused.
        case none
    }

    var sandbox: Sandbox
    /// The directory the runtime creates its memory groups under.
    var memoryCgroupRoot: String?
    /// cgroup v2 (`memory.max`, `memory.events`) rather than v1's memory controller.
    var cgroupV2 = false
    /// Why the process runtime must not start here (root without user namespaces, not allowed).
    var refusal: String?

    static let unshare = "/usr/bin/unshare"
    static let setpriv = "/usr/bin/setpriv"
    /// The host uid pod root maps to when the simulator runs as root: far above real users.
    static let podUID: UInt32 = 1_500_000_000

    /// Whether pods get mount namespaces (volumes, termination messages at their paths).
    var mountNamespaces: Bool { sandbox != .none }

    /// What the kernel allows, probed once per process: can a user namespace (as `podUID` when root)
    /// with the other five be created?
    static let userNamespacesWork: Bool = {
        let fm = FileManager.default
        guard fm.isExecutableFile(atPath: unshare), fm.isExecutableFile(atPath: setpriv) else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: getuid() == 0 ? setpriv : unshare)
        let namespaces = ["--user", "--map-root-user", "--pid", "--fork", "--mount", "--uts", "--ipc", "--net", "/bin/true"]
        process.arguments = getuid() == 0
            ? ["--reuid=\(podUID)", "--regid=\(podUID)", "--clear-groups", "--", unshare] + namespaces
            : namespaces
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// The sandbox a host allows: the full one where user namespaces work; as root without them,
    /// pods as host root only when allowed, else a refusal; otherwise none.
    static func decide(root: Bool, tools: Bool, userNamespaces: Bool, allowHostRoot: Bool) -> (Sandbox, refusal: String?) {
        if tools, userNamespaces { return (.namespaces(hostUID: root ? podUID : nil), nil) }
        guard root else { return (.none, nil) }
        if allowHostRoot, tools { return (.hostRoot, nil) }
        return (.none, "the process runtime runs pods in user namespaces so that pod root is not host root, and this host cannot "
            + "create them (\(tools ? "user namespaces are disabled" : "\(unshare) or chroot is missing")): use --sim-runtime model, "
            + "or pass --allow-host-root to run pods as host root")
    }

    static func detect(allowHostRoot: Bool = false) -> HostIsolation {
        let fm = FileManager.default
        let root = getuid() == 0
        let tools = fm.isExecutableFile(atPath: unshare) && fm.isExecutableFile(atPath: "/usr/sbin/chroot")
        let (sandbox, refusal) = decide(root: root, tools: tools, userNamespaces: tools && userNamespacesWork, allowHostRoot: allowHostRoot)
        var isolation = HostIsolation(sandbox: sandbox, refusal: refusal)
        guard root else { return isolation }
        let v1 = "/sys/fs/cgroup/memory"
        if fm.fileExists(atPath: v1 + "/cgroup.procs") {
            let dir = v1 + "/armada-sim"
            try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if fm.fileExists(atPath: dir + "/memory.limit_in_bytes") {
                isolation.memoryCgroupRoot = dir
                return isolation
            }
        }
        // cgroup v2: the unified hierarchy at /sys/fs/cgroup with the memory controller available.
        let v2 = "/sys/fs/cgroup"
        if let controllers = try? String(contentsOfFile: v2 + "/cgroup.controllers", encoding: .utf8),
           controllers.split(separator: " ").contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "memory" }) {
            let dir = v2 + "/armada-sim"
            try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try? "+memory".write(toFile: v2 + "/cgroup.subtree_control", atomically: false, encoding: .utf8)
            try? "+memory".write(toFile: dir + "/cgroup.subtree_control", atomically: false, encoding: .utf8)
            if let enabled = try? String(contentsOfFile: dir + "/cgroup.subtree_control", encoding: .utf8), enabled.contains("memory") {
                isolation.memoryCgroupRoot = dir
                isolation.cgroupV2 = true
            }
        }
        return isolation
    }

    /// Creates a group limited to `limit` bytes (swap included); nil when limits cannot be enforced.
    /// Its name starts with this process's id, so a later simulator can tell a stale group.
    func memoryGroup(name: String, limit: Double) -> String? {
        guard let root = memoryCgroupRoot, limit.isFinite, limit >= 0 else { return nil }
        let path = root + "/\(getpid())-" + name + "-" + UUID().uuidString.prefix(6)
        guard mkdir(path, 0o755) == 0 else { return nil }
        let bytes = limit >= 9.2e18 ? "max" : String(Int64(limit))
        if cgroupV2 {
            try? bytes.write(toFile: path + "/memory.max", atomically: false, encoding: .utf8)
            try? "0".write(toFile: path + "/memory.swap.max", atomically: false, encoding: .utf8)
        } else {
            try? bytes.write(toFile: path + "/memory.limit_in_bytes", atomically: false, encoding: .utf8)
            try? bytes.write(toFile: path + "/memory.memsw.limit_in_bytes", atomically: false, encoding: .utf8)
        }
        return path
    }

    /// Whether the kernel OOM-killed something in the group (v1 `memory.oom_control`, v2 `memory.events`).
    static func oomKilled(_ group: String) -> Bool {
        for file in ["/memory.oom_control", "/memory.events"] {
            guard let text = try? String(contentsOfFile: group + file, encoding: .utf8) else { continue }
            if text.split(separator: "\n").contains(where: { $0.hasPrefix("oom_kill ") && !$0.hasSuffix(" 0") }) { return true }
        }
        return false
    }

    var summary: String {
        var parts: [String] = []
        switch sandbox {
        case .namespaces(let uid):
            parts.append("pods sandboxed (user, PID, mount, UTS, IPC and network namespaces; pod root is "
                + (uid.map { "host uid \($0)" } ?? "this user") + ")")
        case .hostRoot:
            parts.append("pods NOT sandboxed from host root (--allow-host-root: no user namespace; PID, mount, UTS, IPC and network namespaces)")
        case .none:
            parts.append("pods NOT sandboxed (no user namespaces here: commands run as this user; pods with volumes are refused)")
        }
        parts.append(memoryCgroupRoot == nil ? "memory limits NOT enforced (no writable memory cgroup)"
            : "memory limits enforced (cgroup \(cgroupV2 ? "v2" : "v1"))")
        return parts.joined(separator: ", ")
    }
}
