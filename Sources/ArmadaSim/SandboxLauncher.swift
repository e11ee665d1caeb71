import CShims
import Foundation
import Synchronization

/// Starts containers' processes through the sandbox launcher (`CSandbox.h`): this executable
/// started once more, whose small address space makes each sandbox's clone cheap (a fork of the
/// simulator copies page tables that grow with its heap). The launcher carries out each
/// `SandboxPlan`, reaps the children and reports their exits on one socket, read by one thread
/// here. When the launcher ends, so do its pods; the next start starts a new launcher. Each
/// process runtime has its own (`close` ends it).
final class SandboxLauncher: Sendable {
    /// One child to start.
    struct Spawn: Sendable {
        /// `argv`; `argv[0]` is the program, looked up in the environment's `PATH` (in the pod's
        /// root) when it has no slash.
        var arguments: [String]
        var environment: [String: String]
        /// Receives stdout and stderr.
        var logPath: String
        /// Namespaces, credentials and setup steps.
        var plan: SandboxPlan
        /// The pod network (`createNetwork`) the child joins; then the plan makes no network namespace.
        var network: UInt32?
    }

    /// A started child: the launcher's id for it and its pid (also its process group).
    struct Child: Sendable {
        var id: UInt32
        var pid: Int32
    }

    /// Why a child did not start: a system call of its setup (see `SandboxPlan.describe`), its
    /// command's exec (`exec`), or the launcher.
    struct SpawnError: Error, CustomStringConvertible {
        var errno: Int32
        var what: String
        /// The command itself could not be executed (not found, not executable).
        var exec = false
        var description: String { what + ": " + String(cString: strerror(errno)) }
    }

    private struct Pending {
        var plan: SandboxPlan
        var program: String
        var continuation: CheckedContinuation<Result<Child, SpawnError>, Never>
    }

    private struct State {
        var socket: Int32 = -1
        var launcher: pid_t = 0
        /// Counts launchers started: what one made (pod networks) is gone with it.
        var generation = 0
        var nextID: UInt32 = 1
        var starts: [UInt32: Pending] = [:]
        var waiters: [UInt32: CheckedContinuation<Int32, Never>] = [:]
        /// Network creations waiting for the launcher's reply.
        var networks: [UInt32: CheckedContinuation<SpawnError?, Never>] = [:]
        /// Started and not yet reported as exited.
        var alive: Set<UInt32> = []
        /// Exits reported before anyone waited for them.
        var exited: [UInt32: Int32] = [:]
    }

    private let state = Mutex(State())
    /// Every launcher process of this process, for `killAll`.
    private static let running = Mutex<Set<pid_t>>([])

    /// Ends every pod of every launcher at once (a forced exit): the launchers get SIGKILL, their
    /// pods follow them.
    static func killAll() {
        for launcher in running.withLock({ $0 }) { kill(launcher, SIGKILL) }
    }

    /// Ends the launcher (and any pod left, which there should not be): once the simulator has
    /// stopped. A later start starts a new one.
    func close() {
        let socket = state.withLock { $0.socket }
        if socket >= 0 { shutdown(socket, Int32(SHUT_RDWR)) }
    }

    /// The launcher's children (pods' inits) alive now: none once every pod has ended.
    var children: [Int32] {
        let launcher = state.withLock { $0.launcher }
        guard launcher > 0, let text = try? String(contentsOfFile: "/proc/\(launcher)/task/\(launcher)/children", encoding: .utf8) else { return [] }
        return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    func start(_ spawn: Spawn) async -> Result<Child, SpawnError> {
        await withCheckedContinuation { continuation in
            let id = state.withLock { s in
                defer { s.nextID &+= 1 }
                s.starts[s.nextID] = Pending(plan: spawn.plan, program: spawn.arguments.first ?? "", continuation: continuation)
                return s.nextID
            }
            // On a thread that lives as long as the process: the launcher dies with the thread that started it.
            PodIO.pool.submit { [self] _ in
                if let error = send(spawn, id: id) {
                    let pending = state.withLock { $0.starts.removeValue(forKey: id) }
                    pending?.continuation.resume(returning: .failure(error))
                }
            }
        }
    }

    /// The child's exit code (128 + signal when a signal ended it; 137 when the launcher ended).
    /// Not cancellable: stop the child to end the wait.
    func exitCode(_ child: Child) async -> Int32 {
        await withCheckedContinuation { continuation in
            let code: Int32? = state.withLock { s in
                if let code = s.exited.removeValue(forKey: child.id) { return code }
                guard s.alive.contains(child.id) else { return 137 }
                s.waiters[child.id] = continuation
                return nil
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    /// Creates a pod network (see `cnet_pod_create`): its id for `Spawn.network`, or why not.
    func createNetwork(lower: Int32, address: UInt32, prefix: Int) async -> Result<UInt32, SpawnError> {
        let id = state.withLock { s in
            defer { s.nextID &+= 1 }
            return s.nextID
        }
        let error: SpawnError? = await withCheckedContinuation { continuation in
            state.withLock { $0.networks[id] = continuation }
            // On the launcher's thread pool, as starts are (the launcher dies with the thread that started it).
            PodIO.pool.submit { [self] _ in
                let rc: Int32
                switch connection() {
                case .success(let socket): rc = csandbox_launcher_net_create(socket, id, lower, address, Int32(clamping: prefix))
                case .failure(let error):
                    state.withLock { $0.networks.removeValue(forKey: id) }?.resume(returning: error)
                    return
                }
                if rc != 0 {
                    state.withLock { $0.networks.removeValue(forKey: id) }?
                        .resume(returning: SpawnError(errno: rc, what: "asking the sandbox launcher for the pod's network"))
                }
            }
        }
        return error.map { .failure($0) } ?? .success(id)
    }

    /// The running launcher's generation (0 when none runs): a pod network made under one
    /// generation exists only while that launcher runs.
    var generation: Int { state.withLock { $0.socket >= 0 ? $0.generation : 0 } }

    /// Lets a pod network go: the kernel removes its namespace and eth0 once the pod's processes
    /// have ended. A launcher that ended took it with it.
    func deleteNetwork(_ id: UInt32) {
        let socket = state.withLock { $0.socket }
        if socket >= 0 { _ = csandbox_launcher_net_delete(socket, id) }
    }

    /// `signal` to the child's process group, unless it has been reaped.
    func signal(_ child: Child, _ signal: Int32) {
        let socket = state.withLock { $0.alive.contains(child.id) ? $0.socket : -1 }
        if socket >= 0 { _ = csandbox_launcher_signal(socket, child.id, signal) }
    }

    /// Sends the start request (starting the launcher first when none runs); nil when sent.
    private func send(_ spawn: Spawn, id: UInt32) -> SpawnError? {
        let socket: Int32
        switch connection() {
        case .success(let s): socket = s
        case .failure(let error): return error
        }
        let log = open(spawn.logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { return SpawnError(errno: errno, what: "creating the container's log \(spawn.logPath)") }
        defer { Glibc.close(log) }
        var strings: [UnsafeMutablePointer<CChar>?] = []
        defer { for p in strings { free(p) } }
        func c(_ s: String?) -> UnsafePointer<CChar>? {
            guard let s else { return nil }
            let p = strdup(s)
            strings.append(p)
            return UnsafePointer(p)
        }
        let plan = spawn.plan
        let steps: [csandbox_step] = plan.steps.map { step in
            var s = csandbox_step()
            s.optional = step.optional ? 1 : 0
            s.skip_on_success = Int32(clamping: step.skipOnSuccess)
            switch step.operation {
            case .mkdir(let path): (s.op, s.a) = (Int32(CSANDBOX_MKDIR.rawValue), c(path))
            case .mount(let source, let target, let type, let flags, let data):
                (s.op, s.a, s.b, s.fstype, s.data, s.flags) = (Int32(CSANDBOX_MOUNT.rawValue), c(target), c(source), c(type), c(data), flags)
            case .symlink(let link, let target): (s.op, s.a, s.b) = (Int32(CSANDBOX_SYMLINK.rawValue), c(link), c(target))
            case .touch(let path): (s.op, s.a) = (Int32(CSANDBOX_TOUCH.rawValue), c(path))
            case .chroot(let path): (s.op, s.a) = (Int32(CSANDBOX_CHROOT.rawValue), c(path))
            case .umount(let path): (s.op, s.a) = (Int32(CSANDBOX_UMOUNT.rawValue), c(path))
            case .rmdir(let path): (s.op, s.a) = (Int32(CSANDBOX_RMDIR.rawValue), c(path))
            case .chdir(let path): (s.op, s.a) = (Int32(CSANDBOX_CHDIR.rawValue), c(path))
            case .hostname(let name): (s.op, s.a) = (Int32(CSANDBOX_HOSTNAME.rawValue), c(name))
            case .loopbackUp: s.op = Int32(CSANDBOX_LOOPBACK.rawValue)
            case .write(let file, let text): (s.op, s.a, s.b) = (Int32(CSANDBOX_WRITE.rawValue), c(file), c(text))
            }
            return s
        }
        let argv = spawn.arguments.map { UnsafeMutablePointer(mutating: c($0)) } + [nil]
        let envp = spawn.environment.map { UnsafeMutablePointer(mutating: c("\($0.key)=\($0.value)")) } + [nil]
        let rc = steps.withUnsafeBufferPointer { stepBuffer in
            argv.withUnsafeBufferPointer { argvBuffer in
                envp.withUnsafeBufferPointer { envpBuffer in
                    var spec = csandbox_spec()
                    spec.argv = argvBuffer.baseAddress
                    spec.envp = envpBuffer.baseAddress
                    spec.path = c(spawn.environment["PATH"])
                    spec.log_fd = log
                    spec.clone_flags = plan.cloneFlags
                    spec.map_uid = plan.mapID.map { Int64($0) } ?? -1
                    spec.map_gid = spec.map_uid
                    spec.clear_groups = plan.mapID != nil ? 1 : 0
                    spec.cgroup_procs = c(plan.cgroupProcs)
                    spec.steps = stepBuffer.baseAddress
                    spec.step_count = Int32(clamping: stepBuffer.count)
                    spec.limit_caps = plan.keepCapabilities == nil ? 0 : 1
                    spec.keep_caps = plan.keepCapabilities ?? 0
                    spec.no_new_privs = plan.noNewPrivileges ? 1 : 0
                    spec.net_id = spawn.network ?? 0
                    return csandbox_launcher_start(socket, id, &spec)
                }
            }
        }
        return rc == 0 ? nil : SpawnError(errno: rc, what: "asking the sandbox launcher to start the container")
    }

    /// What a pod network's failed stage (`cnet_stage`) was doing.
    static func networkStage(_ stage: Int32) -> String {
        switch UInt32(bitPattern: stage) {
        case CNET_STAGE_NAMESPACE.rawValue: "creating the pod's network namespace"
        case CNET_STAGE_SYSCTL.rawValue: "setting the pod network's sysctls"
        case CNET_STAGE_LOOPBACK.rawValue: "bringing the pod's loopback up"
        case CNET_STAGE_LINK.rawValue: "creating the pod's eth0 on the simulator's network"
        case CNET_STAGE_ADDRESS.rawValue: "setting the pod's address"
        default: "creating the pod's network"
        }
    }

    /// The launcher's socket, starting a launcher (and the thread reading its replies) when none runs.
    private func connection() -> Result<Int32, SpawnError> {
        state.withLock { s in
            if s.socket >= 0 { return .success(s.socket) }
            var pid: pid_t = 0, socket: Int32 = -1
            let rc = csandbox_launcher_spawn(&pid, &socket)
            guard rc == 0 else { return .failure(SpawnError(errno: rc, what: "starting the sandbox launcher")) }
            (s.socket, s.launcher) = (socket, pid)
            s.generation += 1
            Self.running.withLock { _ = $0.insert(pid) }
            let (fd, launcher) = (socket, pid)
            let thread = Thread { [self] in read(fd, launcher: launcher) }
            thread.name = "armada-sim launcher"
            thread.start()
            return .success(socket)
        }
    }

    /// Dispatches the launcher's replies until it ends; then fails what waits on it.
    private func read(_ socket: Int32, launcher: pid_t) {
        var reply = csandbox_reply()
        while csandbox_launcher_receive(socket, &reply) == 1 {
            switch Int(reply.kind) {
            case Int(CSANDBOX_REPLY_STARTED.rawValue):
                let pending = state.withLock { s in
                    s.alive.insert(reply.id)
                    return s.starts.removeValue(forKey: reply.id)
                }
                let child = Child(id: reply.id, pid: reply.pid)
                // Nobody waits for a start the end of an earlier launcher already failed: it must not run.
                guard let pending else { signal(child, SIGKILL); continue }
                pending.continuation.resume(returning: .success(child))
            case Int(CSANDBOX_REPLY_FAILED.rawValue):
                guard let pending = state.withLock({ $0.starts.removeValue(forKey: reply.id) }) else { continue }
                let failure = reply.failure, exec = Int(failure.step) == pending.plan.steps.count
                let what = exec ? "exec \(pending.program)" : failure.step == -2 ? "starting the container's process"
                    : pending.plan.describe(step: failure.step)
                pending.continuation.resume(returning: .failure(SpawnError(errno: failure.error, what: what, exec: exec)))
            case Int(CSANDBOX_REPLY_NET_READY.rawValue), Int(CSANDBOX_REPLY_NET_FAILED.rawValue):
                let waiter = state.withLock { $0.networks.removeValue(forKey: reply.id) }
                let failed = Int(reply.kind) == Int(CSANDBOX_REPLY_NET_FAILED.rawValue)
                waiter?.resume(returning: failed ? SpawnError(errno: reply.failure.error, what: Self.networkStage(reply.failure.step)) : nil)
            case Int(CSANDBOX_REPLY_EXITED.rawValue):
                let waiter = state.withLock { s -> CheckedContinuation<Int32, Never>? in
                    s.alive.remove(reply.id)
                    if let waiter = s.waiters.removeValue(forKey: reply.id) { return waiter }
                    s.exited[reply.id] = reply.code
                    return nil
                }
                waiter?.resume(returning: reply.code)
            default:
                continue
            }
        }
        // The launcher has ended, and its pods with it.
        var status: Int32 = 0
        while waitpid(launcher, &status, 0) < 0 && errno == EINTR {}
        Self.running.withLock { _ = $0.remove(launcher) }
        let (starts, waiters, networks) = state.withLock { s in
            defer {
                for id in s.alive where s.waiters[id] == nil { s.exited[id] = 137 }
                (s.starts, s.waiters, s.alive, s.networks) = ([:], [:], [], [:])
                if s.socket == socket { (s.socket, s.launcher) = (-1, 0) }
            }
            return (s.starts, s.waiters, s.networks)
        }
        for waiter in networks.values { waiter.resume(returning: SpawnError(errno: ECHILD, what: "the sandbox launcher ended")) }
        Glibc.close(socket)
        for pending in starts.values {
            pending.continuation.resume(returning: .failure(SpawnError(errno: ECHILD, what: "the sandbox launcher ended")))
        }
        for waiter in waiters.values { waiter.resume(returning: 137) }
    }
}
