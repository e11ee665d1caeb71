import Foundation

/// The shell that starts one container in its sandbox (see `HostIsolation`), in three stages:
///
/// 1. `outer`, on the host as the simulator's user: joins the memory group, drops to the pod uid
///    (as root) and creates the namespaces with `unshare`, whose forked child is PID 1 of the new
///    PID namespace (`--kill-child`: if unshare dies, the namespace dies with it). unshare gets
///    SIGKILL when the simulator dies, even by SIGKILL (`PodSandbox.orphanGuard`).
/// 2. `inner`, as pod root in the new namespaces, touching only the run directory: builds the pod's
///    root (a tmpfs holding a copy-on-write overlay of each system directory, fresh `/proc`, `/dev`,
///    `/dev/shm` and `/tmp`), brings loopback up, sets the hostname, and chroots.
/// 3. `setup`, inside the pod's root: mounts the volumes and the termination-message file at paths
///    resolved inside that root (symlinks included), hides the run directory again, changes to the
///    working directory and execs the command with `no_new_privs` and Kubernetes' default
///    capabilities. The command is PID 1: when it exits, the kernel ends every process it left.
struct PodSandbox: Sendable {
    var isolation: HostIsolation
    /// The run's directory on the host: `pod/` (volumes, termination files) is what the pod sees.
    var runDir: String
    var hostname: String
    /// `(volume name, mount path)`, already validated (`PodSpecView.validationErrors`).
    var mounts: [(volume: String, path: String)]
    var terminationFile: String
    var terminationPath: String
    var workingDir: String
    var cgroup: String?
    /// The container's capabilities (`setpriv` names), within its user namespace.
    var capabilities: [String] = PodSandbox.defaultCapabilities
    /// The simulator's pid: the pod ends when it does.
    var simulatorPID: Int32 = getpid()

    /// Kubernetes' (and Docker's) default capability set for containers.
    static let defaultCapabilities = ["chown", "dac_override", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap",
                                      "net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap"]
    /// Every capability `setpriv` knows, by its name without `CAP_` in lower case.
    static let knownCapabilities: Set<String> = [
        "chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid", "setuid", "setpcap", "linux_immutable",
        "net_bind_service", "net_broadcast", "net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot",
        "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
        "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm", "block_suspend", "audit_read",
        "perfmon", "bpf", "checkpoint_restore",
    ]

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

    static func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The program and arguments to start: the command's argv follows them.
    func launch(_ argv: [String]) -> (executable: String, arguments: [String]) {
        ("/bin/sh", ["-c", outer, "sh"] + argv)
    }

    var outer: String {
        var lines = ["set -e"]
        if let cgroup { lines.append("echo $$ > \(Self.q(cgroup + "/cgroup.procs"))") }
        var namespaces = ["--pid", "--fork", "--kill-child", "--mount", "--propagation", "private", "--uts", "--ipc", "--net"]
        var credentials = ""
        if case .namespaces(let uid) = isolation.sandbox {
            namespaces = ["--user", "--map-root-user"] + namespaces
            if let uid { credentials = "--reuid=\(uid) --regid=\(uid) --clear-groups " }
        }
        let unshare = "exec \(HostIsolation.unshare) \(namespaces.joined(separator: " ")) /bin/sh -c \(Self.q(inner)) sh \"$@\""
        lines.append(Self.orphanGuard(unshare, credentials: credentials, simulator: simulatorPID))
        return lines.joined(separator: "\n")
    }

    /// `command` (shell) run so that it gets SIGKILL when the simulator dies, whatever kills it:
    /// `setpriv` changes the credentials first and then sets the parent-death signal (a credential
    /// change would clear it), and the shell it starts exits if the simulator was gone before that
    /// (its parent is no longer the simulator). The parent is the simulator thread that spawned the
    /// child (`PodIO`'s, which live as long as the process).
    static func orphanGuard(_ command: String, credentials: String = "", simulator: Int32) -> String {
        let guarded = "[ \"$PPID\" = \(simulator) ] || exit 137; " + command
        return "exec \(HostIsolation.setpriv) \(credentials)--pdeathsig KILL -- /bin/sh -c \(q(guarded)) sh \"$@\""
    }

    var inner: String {
        let root = Self.q(runDir + "/root"), layer = runDir + "/layer"
        let lines = [
            "set -e",
            "mkdir -p \(root)",
            "mount -t tmpfs -o mode=755 tmpfs \(root)",
            "for e in bin sbin lib lib32 lib64 libx32; do if [ -L /$e ]; then ln -s \"$(readlink /$e)\" \(root)/$e; fi; done",
            "for d in \(Self.systemDirectories.joined(separator: " ")); do",
            "  if [ -d /$d ] && [ ! -L /$d ]; then",
            "    mkdir -p \(root)/$d \(Self.q(layer))/$d/upper \(Self.q(layer))/$d/work",
            "    mount -t overlay overlay -o lowerdir=/$d,upperdir=\(Self.q(layer))/$d/upper,workdir=\(Self.q(layer))/$d/work \(root)/$d 2>/dev/null"
                + " || { mount --rbind /$d \(root)/$d && mount -o remount,bind,ro \(root)/$d; }",
            "  fi",
            "done",
            "mkdir -p \(root)/proc \(root)/dev \(root)/tmp \(root)/sys \(root)/run \(root)/root \(root)/.armada",
            "mount -t proc proc \(root)/proc",
            "mount -t tmpfs -o mode=755 tmpfs \(root)/dev",
            "for d in null zero random urandom full; do touch \(root)/dev/$d; mount --bind /dev/$d \(root)/dev/$d; done",
            "ln -s /proc/self/fd \(root)/dev/fd; ln -s /proc/self/fd/0 \(root)/dev/stdin",
            "ln -s /proc/self/fd/1 \(root)/dev/stdout; ln -s /proc/self/fd/2 \(root)/dev/stderr",
            "mkdir -p \(root)/dev/shm; mount -t tmpfs -o mode=1777 tmpfs \(root)/dev/shm",
            "mount -t tmpfs -o mode=1777 tmpfs \(root)/tmp",
            "mount --bind \(Self.q(runDir + "/pod")) \(root)/.armada",
            "if [ -x /usr/sbin/ip ]; then /usr/sbin/ip link set lo up; fi",
            "hostname \(Self.q(hostname)) 2>/dev/null || true",
            "exec /usr/sbin/chroot \(root) /bin/sh -c \(Self.q(setup)) sh \"$@\"",
        ]
        return lines.joined(separator: "\n")
    }

    var setup: String {
        var lines = ["set -e"]
        for mount in mounts {
            let target = Self.q(mount.path)
            lines.append("mkdir -p \(target); mount --bind \(Self.q("/.armada/volumes/" + mount.volume)) \(target)")
        }
        let termination = Self.q(terminationPath)
        lines.append("mkdir -p \"$(dirname \(termination))\"; touch \(termination); mount --bind \(Self.q("/.armada/" + terminationFile)) \(termination)")
        lines.append("umount -l /.armada; rmdir /.armada")
        lines.append("cd \(Self.q(workingDir)) 2>/dev/null || cd /")
        let caps = (["-all"] + capabilities.map { "+" + $0 }).joined(separator: ",")
        lines.append("exec /usr/bin/setpriv --no-new-privs --inh-caps=-all --bounding-set=\(caps) -- \"$@\"")
        return lines.joined(separator: "\n")
    }
}
