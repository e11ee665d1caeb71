import CShims
import Foundation

/// How one container runs in its sandbox (see `HostIsolation`), as a `SandboxPlan` the C launcher
/// carries out in the child between its clone and its exec, with system calls only:
///
/// 1. the child is cloned into new user, PID, mount, UTS and IPC namespaces and the pod's network
///    namespace (`PodNetwork`; without one, a network namespace of its own) (pod root maps
///    to one unprivileged host uid when the simulator is root, else to the simulator's user) and gets
///    SIGKILL when its launcher (and so the simulator) dies, even by SIGKILL;
/// 2. it builds the pod's root: a tmpfs holding a copy-on-write overlay of each system directory,
///    fresh `/proc`, `/dev`, `/dev/shm` and `/tmp`, brings loopback up, sets the hostname, chroots;
/// 3. inside that root it mounts the volumes and the termination-message file at paths resolved
///    there (symlinks included), hides the run directory again, changes to the working directory,
///    limits its capabilities to Kubernetes' default set with `no_new_privs`, and is PID 1 of the
///    pod: it starts the command (which joins the container's memory group right before its exec)
///    and exits with its status, which ends every process of the pod.
struct PodSandbox: Sendable {
    var isolation: HostIsolation
    /// The run's directory on the host: `pod/` (volumes, termination files) is what the pod sees.
    var runDir: String
    var hostname: String
    /// `(volume name, mount path)`, already validated (`PodSpecView.validationErrors`).
    var mounts: [(volume: String, path: String)]
    var terminationFile: String
    /// Where the container's writable layers live (`<dir>/upper`, `<dir>/work` per system
    /// directory): one per container, as overlayfs wants an upper directory per mount.
    var layerDir: String
    /// The pod's root file system: the host's system directories, or an image layer (`ImageLayers`).
    var image: Image = .host

    enum Image: Sendable, Equatable {
        case host
        /// A directory holding a whole root (busybox), the lower layer of the pod's overlay root.
        case layer(String)
    }
    var terminationPath: String
    var workingDir: String
    var cgroup: String?
    /// The pod network's directory on the host (`PodNetwork`): the container joins the pod's
    /// network namespace (made by the launcher), sees the directory read-only at
    /// `PodNetwork.podDirectory` and `/etc/hosts` links to its `hosts`. nil: a network namespace of
    /// its own with loopback only.
    var network: String?
    /// With the pod network's API: the pod's service-account directory below
    /// `PodNetwork.podDirectory`, which `/var/run/secrets/kubernetes.io/serviceaccount` leads to.
    var serviceAccount: String?
    /// The container's capabilities (names without `CAP_`), within its user namespace.
    var capabilities: [String] = PodSandbox.defaultCapabilities

    /// Kubernetes' (and Docker's) default capability set for containers.
    static let defaultCapabilities = ["chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
                                      "net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap"]
    /// Every capability, by its name without `CAP_` in lower case, in the kernel's order (the
    /// index is the capability's number).
    static let capabilityNumbers = [
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap", "linux_immutable",
        "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
        "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
        "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
        "perfmon", "bpf", "checkpoint_restore",
    ]
    static let knownCapabilities = Set(capabilityNumbers)

    /// Kubernetes' rule: the default set, plus `add`, minus `drop` (`ALL` drops everything not
    /// added); `privileged` grants every capability. Unknown names are ignored, as the runtime does.
    static func capabilities(add: [String], drop: [String], privileged: Bool) -> [String] {
        func names(_ list: [String]) -> Set<String> {
            Set(list.map { $0.lowercased().replacingOccurrences(of: "cap_", with: "") })
        }
        if privileged { return knownCapabilities.sorted() }
        let added = names(add).intersection(knownCapabilities), dropped = names(drop)
        let base = dropped.contains("all") ? Set<String>() : Set(defaultCapabilities).subtracting(dropped)
        return defaultCapabilities.filter { base.contains($0) } + added.subtracting(defaultCapabilities).sorted()
            + defaultCapabilities.filter { added.contains($0) && !base.contains($0) }
    }

    /// System directories each pod sees through a copy-on-write overlay; the rest of the host
    /// (home directories of the build, work trees, /tmp) is not visible.
    static let systemDirectories = ["usr", "etc", "opt", "var", "srv", "home"]

    /// `(host path of a symlink at the root, its target)` for the root's top-level links
    /// (`/bin` → `usr/bin` on merged-/usr systems), read once.
    static let rootLinks: [(name: String, target: String)] = ["bin", "sbin", "lib", "lib32", "lib64", "libx32"].compactMap { name in
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/" + name)).map { (name, $0) }
    }

    /// The system directories present on this host as real directories.
    static let presentSystemDirectories: [String] = systemDirectories.filter { name in
        var info = stat()
        return lstat("/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The capability numbers of `names` (`setpriv`'s names), as a bit set.
    static func capabilityBits(_ names: [String]) -> UInt64 {
        names.reduce(0) { bits, name in
            guard let n = capabilityNumbers.firstIndex(of: name) else { return bits }
            return bits | (1 << UInt64(n))
        }
    }

    static func flags(_ namespaces: csandbox_namespace...) -> Int32 {
        namespaces.reduce(0) { $0 | Int32(bitPattern: $1.rawValue) }
    }

    /// The plan that starts `argv` in this sandbox.
    var plan: SandboxPlan {
        var plan = SandboxPlan()
        plan.cgroupProcs = cgroup.map { $0 + "/cgroup.procs" }
        guard isolation.mountNamespaces else {
            plan.add(.chdir(workingDir), optional: true, skipOnSuccess: 1)
            plan.add(.chdir("/"))
            return plan
        }
        plan.cloneFlags = Self.flags(CSANDBOX_NEWPID, CSANDBOX_NEWNS, CSANDBOX_NEWUTS, CSANDBOX_NEWIPC)
        if network == nil { plan.cloneFlags |= Self.flags(CSANDBOX_NEWNET) }
        // `/etc/hosts` in the container's writable layer, above whatever the image has.
        let hostsLink = PodNetwork.podDirectory + "/hosts"
        if case .namespaces(let uid) = isolation.sandbox {
            plan.cloneFlags |= Self.flags(CSANDBOX_NEWUSER)
            plan.mapID = uid
        }
        let root = runDir + "/root", layer = layerDir
        plan.add(.mount(source: nil, target: "/", type: nil, flags: UInt(MS_REC) | UInt(MS_PRIVATE), data: nil))
        plan.add(.mkdir(root))
        switch image {
        case .layer(let lower):
            // One overlay: the image's layer below, the container's writable layer above.
            let upper = layer + "/root/upper", work = layer + "/root/work"
            plan.add(.mkdir(upper))
            plan.add(.mkdir(work))
            if network != nil {
                plan.add(.mkdir(upper + "/etc"))
                plan.add(.symlink(link: upper + "/etc/hosts", target: hostsLink))
            }
            plan.add(.mount(source: "overlay", target: root, type: "overlay", flags: 0, data: "lowerdir=\(lower),upperdir=\(upper),workdir=\(work)"))
        case .host:
            plan.add(.mount(source: "tmpfs", target: root, type: "tmpfs", flags: 0, data: "mode=755"))
            for link in Self.rootLinks { plan.add(.symlink(link: root + "/" + link.name, target: link.target)) }
            for d in Self.presentSystemDirectories {
                let upper = "\(layer)/\(d)/upper", work = "\(layer)/\(d)/work", target = root + "/" + d
                for dir in [target, upper, work] { plan.add(.mkdir(dir)) }
                if network != nil, d == "etc" { plan.add(.symlink(link: upper + "/hosts", target: hostsLink)) }
                plan.add(.mount(source: "overlay", target: target, type: "overlay", flags: 0, data: "lowerdir=/\(d),upperdir=\(upper),workdir=\(work)"),
                         optional: true, skipOnSuccess: 2)
                // Without overlayfs here: the host's directory, read-only.
                plan.bind("/" + d, target, recursive: true)
                plan.add(.mount(source: nil, target: target, type: nil, flags: UInt(MS_REMOUNT) | UInt(MS_BIND) | UInt(MS_RDONLY), data: nil))
            }
        }
        for d in ["proc", "dev", "tmp", "sys", "run", "root", ".armada"] { plan.add(.mkdir(root + "/" + d)) }
        plan.add(.mount(source: "proc", target: root + "/proc", type: "proc", flags: 0, data: nil))
        plan.add(.mount(source: "tmpfs", target: root + "/dev", type: "tmpfs", flags: 0, data: "mode=755"))
        for device in ["null", "zero", "random", "urandom", "full"] {
            plan.add(.touch(root + "/dev/" + device))
            plan.bind("/dev/" + device, root + "/dev/" + device)
        }
        for (link, target) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")] {
            plan.add(.symlink(link: root + "/dev/" + link, target: target))
        }
        plan.add(.mkdir(root + "/dev/shm"))
        plan.add(.mount(source: "tmpfs", target: root + "/dev/shm", type: "tmpfs", flags: 0, data: "mode=1777"))
        plan.add(.mount(source: "tmpfs", target: root + "/tmp", type: "tmpfs", flags: 0, data: "mode=1777"))
        plan.bind(runDir + "/pod", root + "/.armada")
        if let network {
            let target = root + PodNetwork.podDirectory
            plan.add(.mkdir(target))
            plan.bind(network, target)
            plan.add(.mount(source: nil, target: target, type: nil, flags: UInt(MS_REMOUNT) | UInt(MS_BIND) | UInt(MS_RDONLY), data: nil))
            if let serviceAccount {
                plan.add(.mkdir(root + "/run/secrets/kubernetes.io"))
                plan.add(.symlink(link: root + "/run/secrets/kubernetes.io/serviceaccount", target: PodNetwork.podDirectory + "/" + serviceAccount))
            }
        } else {
            plan.add(.loopbackUp, optional: true)
        }
        plan.add(.hostname(hostname), optional: true)
        plan.add(.chroot(root))
        // Inside the pod's root: its paths resolve there.
        for mount in mounts {
            plan.add(.mkdir(mount.path))
            plan.bind("/.armada/volumes/" + mount.volume, mount.path)
        }
        plan.add(.mkdir((terminationPath as NSString).deletingLastPathComponent))
        plan.add(.touch(terminationPath))
        plan.bind("/.armada/" + terminationFile, terminationPath)
        plan.add(.umount("/.armada"))
        plan.add(.rmdir("/.armada"))
        plan.add(.chdir(workingDir), optional: true, skipOnSuccess: 1)
        plan.add(.chdir("/"))
        plan.keepCapabilities = Self.capabilityBits(capabilities)
        plan.noNewPrivileges = true
        return plan
    }
}
