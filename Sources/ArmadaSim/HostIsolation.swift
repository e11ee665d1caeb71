import Foundation

/// What this host lets the process runtime do: a private mount namespace with an overlay root
/// (so mounts at `/podinfo` or `/dev/termination-log` never touch the host), and a memory cgroup.
struct HostIsolation: Sendable {
    var mountNamespaces: Bool
    /// The cgroup v1 memory hierarchy directory the runtime creates its groups under.
    var memoryCgroupRoot: String?

    static let unshare = "/usr/bin/unshare"

    static func detect() -> HostIsolation {
        let fm = FileManager.default
        let root = getuid() == 0
        let overlay = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8))?.contains("overlay") ?? false
        let mounts = root && overlay && fm.isExecutableFile(atPath: unshare) && fm.isExecutableFile(atPath: "/usr/sbin/chroot")
        var cgroup: String?
        let v1 = "/sys/fs/cgroup/memory"
        if root, fm.fileExists(atPath: v1 + "/cgroup.procs") {
            let dir = v1 + "/armada-sim"
            try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if fm.fileExists(atPath: dir + "/memory.limit_in_bytes") { cgroup = dir }
        }
        return HostIsolation(mountNamespaces: mounts, memoryCgroupRoot: cgroup)
    }

    var summary: String {
        var parts: [String] = []
        parts.append(mountNamespaces ? "mount namespaces (volumes, termination messages)" : "no mount namespaces (pods with volumes are refused)")
        parts.append(memoryCgroupRoot != nil ? "memory limits enforced (cgroup v1)" : "memory limits NOT enforced (no writable memory cgroup)")
        return parts.joined(separator: ", ")
    }
}
