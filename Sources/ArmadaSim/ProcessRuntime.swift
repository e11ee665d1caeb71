import ArmadaAPI
import Foundation
import Synchronization

/// Runs each container's command on this host (issue #5): Kubernetes entrypoint rules, env
/// (literal and downward-API), `HOSTNAME`, `workingDir`, in a sandbox of its own (`PodSandbox`:
/// user, PID, mount, UTS, IPC and network namespaces, a copy-on-write root) that holds the pod's
/// downward-API and emptyDir volumes and its termination-log file at their real paths; a memory
/// cgroup enforces `limits.memory` (OOMKilled, 137). Images are not pulled: host binaries run.
public struct ProcessRuntime: PodRuntime {
    public var name: String { "process" }
    public let unpullableImages: String
    let isolation: HostIsolation
    let directories: RunDirectories
    /// What the start cleaned up after an earlier simulator, for the banner.
    let staleNote: String?

    /// - Parameter allowHostRoot: as root on a host without user namespaces, run pods as host root
    ///   (in the other namespaces) instead of refusing (`startupProblem`).
    public init(unpullableImages: String = "non-existing|does-not-exist", workRoot: String = NSTemporaryDirectory() + "armada-sim-runs",
                allowHostRoot: Bool = false) {
        self.unpullableImages = unpullableImages
        self.isolation = HostIsolation.detect(allowHostRoot: allowHostRoot)
        self.directories = RunDirectories(root: workRoot)
        self.staleNote = directories.removeStale(memoryCgroupRoot: isolation.memoryCgroupRoot)
    }

    /// What the host allows, for `serve` and the runner's banner.
    public var capabilities: String { isolation.summary + (staleNote.map { "; " + $0 } ?? "") }

    /// Why this runtime must not run here, if it must not (see `HostIsolation.refusal`).
    public var startupProblem: String? { isolation.refusal }

    /// Kills every pod of every process runtime at once, for a forced exit; their namespaces end
    /// with them. Run directories left are removed by the next start (`RunDirectories`).
    public static func killAllPods() {
        ProcessWaiter.killAll()
    }

    /// Removes this process's run directory once no run is left in it (another simulator in the
    /// same process may still have some).
    public func shutdown() {
        rmdir(directories.mine)
    }

    public func run(_ pod: PodContext, timings: SimConfig.Timings, started: @Sendable () async -> Void) async -> RunOutcome {
        if let image = pod.unpullableImage(unpullableImages) {
            await timings.pause(timings.imagePullFailGrace)
            return .imagePullFailure(image)
        }
        if let refusal = isolation.refusal {
            return .failed(containers: [], podReason: "", podMessage: refusal)
        }
        let needsMounts = !pod.spec.containers.allSatisfy { $0.volumeMounts.isEmpty } || !pod.spec.initContainers.allSatisfy { $0.volumeMounts.isEmpty }
        if needsMounts, !isolation.mountNamespaces {
            return .failed(containers: [], podReason: "", podMessage: "the process runtime cannot mount this pod's volumes here: "
                + "it needs user namespaces (or root) and \(HostIsolation.unshare); use the model runtime (--sim-runtime model)")
        }
        let runDir = directories.mine + "/" + pod.name + "-" + UUID().uuidString.prefix(8)
        defer { Self.remove(runDir) }
        do {
            try prepareVolumes(pod, runDir)
        } catch {
            return .failed(containers: [], podReason: "", podMessage: "the process runtime could not prepare the pod's volumes: \(error)")
        }
        var statuses: [ContainerStatus] = []
        for c in pod.spec.initContainers {
            let status = await runContainer(c, pod, runDir, deadline: nil)
            statuses.append(status.status)
            if status.status.exitCode != 0 || Task.isCancelled {
                return .failed(containers: statuses, podReason: status.podReason, podMessage: status.podMessage)
            }
        }
        await started()
        let deadline = pod.spec.activeDeadlineSeconds.map { ContinuousClock.now + Duration.clamped(seconds: $0 * timings.timeScale) }
        // The kubelet's local-storage eviction: the writable layers, emptyDirs and logs of the run
        // are measured while it runs; past the limit the pod is killed and reported Evicted.
        let storageLimit = pod.spec.ephemeralStorageLimit ?? Self.defaultEphemeralStorage
        let evicted = Flag()
        let results = await withTaskGroup(of: (Int, ContainerRun)?.self) { group in
            for (i, c) in pod.spec.containers.enumerated() {
                group.addTask { (i, await runContainer(c, pod, runDir, deadline: deadline)) }
            }
            if !pod.spec.containers.isEmpty { group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.storageCheckPeriod)
                    if !Task.isCancelled, Double(Self.diskUsage(runDir)) > storageLimit {
                        evicted.set()
                        return nil
                    }
                }
                return nil
            } }
            var out: [(Int, ContainerRun)] = []
            for await r in group {
                if let r { out.append(r) } else if evicted.isSet { group.cancelAll() }
                if out.count == pod.spec.containers.count { group.cancelAll() }
            }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let main = results.map(\.status)
        if evicted.isSet {
            return .failed(containers: main, podReason: "Evicted",
                           podMessage: "Pod ephemeral local storage usage exceeds the total limit of containers \(Self.quantity(storageLimit)). ")
        }
        if let timedOut = results.first(where: { $0.podReason == "DeadlineExceeded" }) {
            return .failed(containers: main, podReason: timedOut.podReason, podMessage: timedOut.podMessage)
        }
        let all = main + statuses
        return main.contains { $0.exitCode != 0 } ? .failed(containers: all, podReason: "", podMessage: "") : .succeeded(all)
    }

    struct ContainerRun: Sendable {
        var status: ContainerStatus
        var podReason = ""
        var podMessage = ""
    }

    // MARK: One container

    static func locate(_ program: String, path: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(program)") {
            return "\(dir)/\(program)"
        }
        return nil
    }

    func runContainer(_ c: PodSpecView.Container, _ pod: PodContext, _ runDir: String, deadline: ContinuousClock.Instant?) async -> ContainerRun {
        let argv = c.argv
        guard let program = argv.first else { return ContainerRun(status: ContainerStatus(name: c.name, reason: "Completed")) }
        let env = pod.environment(for: c)
        guard Self.locate(program, path: env["PATH"] ?? "") != nil else {
            return ContainerRun(status: ContainerStatus(name: c.name, exitCode: 128, message: "failed to create containerd task: failed to create shim task: "
                + "OCI runtime create failed: runc create failed: unable to start container process: exec: \"\(program)\": "
                + "executable file not found in $PATH: unknown", reason: "StartError"))
        }
        let tag = c.name.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let terminationFile = "termination-\(tag)"
        let termination = runDir + "/pod/" + terminationFile
        guard FileManager.default.createFile(atPath: termination, contents: nil) else {
            return ContainerRun(status: ContainerStatus(name: c.name, exitCode: 128, message: "cannot create the termination-message file",
                                                        reason: "StartError"))
        }
        if case .namespaces(let uid?) = isolation.sandbox { lchown(termination, uid, uid) }
        let cgroup = c.memoryLimit.flatMap { limit in isolation.memoryGroup(name: pod.name + "-" + tag, limit: limit) }
        let process = Process()
        // Foundation starts the child as the leader of its own process group, so signals to the
        // group reach everything the command starts.
        if isolation.mountNamespaces {
            let sandbox = PodSandbox(isolation: isolation, runDir: runDir, hostname: String(pod.name.prefix(63)),
                                     mounts: c.volumeMounts.map { ($0.name, $0.mountPath) }, terminationFile: terminationFile,
                                     terminationPath: c.terminationMessagePath, workingDir: c.workingDir ?? "/", cgroup: cgroup,
                                     capabilities: PodSandbox.capabilities(add: c.capabilitiesAdd, drop: c.capabilitiesDrop,
                                                                           privileged: c.privileged))
            let (executable, arguments) = sandbox.launch(argv)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.currentDirectoryURL = URL(fileURLWithPath: "/")
        } else {
            let join = cgroup.map { "echo $$ > " + PodSandbox.q($0 + "/cgroup.procs") + "; " } ?? ""
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", join + "exec \"$@\"", "sh"] + argv
            process.currentDirectoryURL = URL(fileURLWithPath: c.workingDir ?? "/")
        }
        process.environment = env
        // The container's log goes to a file of the run (not a pipe read by a dispatch source:
        // closing one with a read source registered crashes libdispatch's event loop under load).
        let logFile = runDir + "/log-\(tag)"
        guard FileManager.default.createFile(atPath: logFile, contents: nil), let log = FileHandle(forWritingAtPath: logFile) else {
            return ContainerRun(status: ContainerStatus(name: c.name, exitCode: 128, message: "cannot create the container log", reason: "StartError"))
        }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        let outcome = await ProcessWaiter.run(process, grace: pod.terminationGracePeriod, deadline: deadline, cgroup: cgroup)
        try? log.close()
        if let cgroup { await Self.removeCgroup(cgroup) }
        let message = Self.readPrefix(termination, bytes: 4096)
        var status = ContainerStatus(name: c.name, exitCode: outcome.exitCode, message: message,
                                     reason: outcome.exitCode == 0 ? "Completed" : "Error")
        if outcome.oomKilled {
            status.exitCode = 137
            status.reason = "OOMKilled"
            status.cause = .oom
        } else if status.message.isEmpty, c.terminationMessagePolicy == "FallbackToLogsOnError", status.exitCode != 0 {
            status.message = Self.readSuffix(logFile, bytes: 2048)
        }
        if outcome.deadlineExceeded {
            return ContainerRun(status: status, podReason: "DeadlineExceeded", podMessage: "Pod was active on the node longer than the specified deadline")
        }
        return ContainerRun(status: status)
    }

    /// Kills whatever the command left in its group (a forked child), then removes the group;
    /// the kernel refuses the removal until the killed processes are gone.
    static func removeCgroup(_ path: String) async {
        for _ in 0..<10_000 {
            let procs = ((try? String(contentsOfFile: path + "/cgroup.procs", encoding: .utf8)) ?? "")
                .split(separator: "\n").compactMap { Int32($0) }
            for pid in procs { kill(pid, SIGKILL) }
            if rmdir(path) == 0 || errno == ENOENT { return }
            await Task.yield()
        }
    }
}

extension PodContext {
    /// `terminationGracePeriodSeconds` (Kubernetes' default 30 s).
    var terminationGracePeriod: Double { spec.terminationGracePeriodSeconds ?? 30 }
}
