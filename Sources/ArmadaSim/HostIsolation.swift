import Foundation

/// What this host lets the process runtime do: a private mount namespace with an overlay root
/// (so mounts at `/podinfo` or `/dev/termination-log` never touch the host), and a memory cgroup.
struct HostIsolation: Sendable {
    var mountNamespaces: Bool
    /// The directory the runtime creates its memory groups under.
    var memoryCgroupRoot: String?
    /// cgroup v2 (`memory.max`, `memory.events`) rather than v1's memory controller.
    var cgroupV2 = false

    static let unshare = "/usr/bin/unshare"

    static func detect() -> HostIsolation {
        let fm = FileManager.default
        let root = getuid() == 0
        let overlay = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8))?.contains("overlay") ?? false
        let mounts = root && overlay && fm.isExecutableFile(atPath: unshare) && fm.isExecutableFile(atPath: "/usr/sbin/chroot")
        let v1 = "/sys/fs/cgroup/memory"
        if root, fm.fileExists(atPath: v1 + "/cgroup.procs") {
            let dir = v1 + "/armada-sim"
            try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if fm.fileExists(atPath: dir + "/memory.limit_in_bytes") { return HostIsolation(mountNamespaces: mounts, memoryCgroupRoot: dir) }
        }
        // cgroup v2: the unified hierarchy at /sys/fs/cgroup with the memory controller available.
        let v2 = "/sys/fs/cgroup"
        if root, let controllers = try? String(contentsOfFile: v2 + "/cgroup.controllers", encoding: .utf8),
           controllers.split(separator: " ").contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "memory" }) {
            let dir = v2 + "/armada-sim"
            try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try? "+memory".write(toFile: v2 + "/cgroup.subtree_control", atomically: false, encoding: .utf8)
            try? "+memory".write(toFile: dir + "/cgroup.subtree_control", atomically: false, encoding: .utf8)
            if let enabled = try? String(contentsOfFile: dir + "/cgroup.subtree_control", encoding: .utf8), enabled.contains("memory") {
                return HostIsolation(mountNamespaces: mounts, memoryCgroupRoot: dir, cgroupV2: true)
            }
        }
        return HostIsolation(mountNamespaces: mounts, memoryCgroupRoot: nil)
    }

    /// Creates a group limited to `limit` bytes (swap included); nil when limits cannot be enforced.
    func memoryGroup(name: String, limit: Double) -> String? {
        guard let root = memoryCgroupRoot else { return nil }
        let path = root + "/" + name + "-" + UUID().uuidString.prefix(6)
        guard (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)) != nil else { return nil }
        let bytes = String(Int64(limit))
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
        parts.append(mountNamespaces ? "mount namespaces (volumes, termination messages)" : "no mount namespaces (pods with volumes are refused)")
        parts.append(memoryCgroupRoot == nil ? "memory limits NOT enforced (no writable memory cgroup)"
            : "memory limits enforced (cgroup \(cgroupV2 ? "v2" : "v1"))")
        return parts.joined(separator: ", ")
    }
}
