import ArmadaAPI
import Foundation
import Synchronization

/// Runs each container's command on this host (issue #5): Kubernetes entrypoint rules, env
/// (literal and downward-API), `HOSTNAME`, `workingDir`, in a sandbox of its own (`PodSandbox`:
/// user, PID, mount, UTS and IPC namespaces, in the pod's network namespace (`PodNetwork`), a
/// copy-on-write root) that holds the pod's downward-API and emptyDir volumes and its termination-log file at their real paths; a memory
/// cgroup enforces `limits.memory` (OOMKilled, 137). Images are not pulled: host binaries run.
public struct ProcessRuntime: PodRuntime {
    public var name: String { "process" }
    public let unpullableImages: String
    let isolation: HostIsolation
    let directories: RunDirectories
    /// What the start cleaned up after an earlier simulator, for the banner.
    let staleNote: String?
    /// What each image runs on this host (`images.yaml` and a config's `images:`).
    public let images: ImageCatalogue
    /// The image roots built for this runtime's pods.
    let layers: ImageLayers
    /// Starts this runtime's pods (see `SandboxLauncher`).
    let launcher = SandboxLauncher()
    /// Pods putting themselves on the network at once (`attach`), as a kubelet starts a few pod
    /// sandboxes at a time: when many pods are leased together (a batch of 500), they take ended
    /// pods' networks as those come free instead of each making a namespace and eth0 (and having
    /// the kernel tear them down later). `armada-bench process`: 440 - 477 alpine pods/s with the
    /// limit, 250 - 325 without it on this 2-core machine.
    let attaching = AsyncLimiter(limit: 8)
    /// Tells this runtime's memory groups from those of other runtimes in the same process.
    let instance: String
    /// The pod network (`PodNetwork`), made at the first pod.
    let network: NetworkSlot

    /// The private range pod networks take a block of (a /20 each: 4 093 pods) unless configured otherwise.
    public static let defaultPodNetworkPool = IPv4Subnet("10.213.0.0/16")!

    /// Names of this runtime's memory groups start with this (the process id first, so that a later
    /// simulator can tell a stale group, see `RunDirectories`).
    public var memoryGroupPrefix: String { "\(getpid())-\(instance)-" }

    /// - Parameter allowHostRoot: as root on a host without user namespaces, run pods as host root
    ///   (in the other namespaces) instead of refusing (`startupProblem`).
    public init(unpullableImages: String = "non-existing|does-not-exist", workRoot: String = ProcessRuntime.defaultWorkRoot,
                allowHostRoot: Bool = false, images: ImageCatalogue = .builtIn,
                podNetworkPool: IPv4Subnet? = ProcessRuntime.defaultPodNetworkPool) {
        let instance = String(UUID().uuidString.prefix(6)).lowercased()
        self.instance = instance
        self.unpullableImages = unpullableImages
        self.images = images
        self.isolation = HostIsolation.detect(allowHostRoot: allowHostRoot)
        self.directories = RunDirectories(root: workRoot)
        if case .namespaces(let uid) = isolation.sandbox {
            self.layers = ImageLayers(directory: directories.layers(instance: instance), owner: uid)
        } else {
            self.layers = ImageLayers(directory: directories.layers(instance: instance), owner: nil)
        }
        self.staleNote = directories.removeStale(memoryCgroupRoot: isolation.memoryCgroupRoot)
        let pool = podNetworkPool ?? Self.defaultPodNetworkPool
        self.network = NetworkSlot(unavailable: podNetworkPool == nil ? "switched off in the configuration" : PodNetwork.unavailable(isolation: isolation),
                                   pool: pool, blockPrefix: max(pool.prefix, 20), directory: directories.mine + "/net-" + instance,
                                   runtime: instance)
    }

    /// Where runs live by default: on `/dev/shm` (a tmpfs) when it has room (4 GiB free), because
    /// creating and removing a run's directories there costs a fraction of what a disk file
    /// system costs under a high pod rate; otherwise under `$TMPDIR`. Pods' writable layers and
    /// emptyDirs are then in memory, bounded by the ephemeral-storage eviction.
    public static let defaultWorkRoot: String = {
        var info = statvfs()
        if statvfs("/dev/shm", &info) == 0, access("/dev/shm", W_OK) == 0,
           Double(info.f_bavail) * Double(info.f_frsize) >= 4 * 1024 * 1024 * 1024 {
            return "/dev/shm/armada-sim-runs"
        }
        return NSTemporaryDirectory() + "armada-sim-runs"
    }()

    /// This process's directory of runs.
    public var runDirectory: String { directories.mine }

    /// What the host allows, for `serve` and the runner's banner.
    public var capabilities: String { isolation.summary + "; " + networkSummary + (staleNote.map { "; " + $0 } ?? "") }

    /// Why this runtime must not run here, if it must not (see `HostIsolation.refusal`).
    public var startupProblem: String? { isolation.refusal }

    /// Kills every pod of every process runtime at once, for a forced exit; their namespaces end
    /// with them, and this process's pod networks are deleted. Run directories left are removed by
    /// the next start (`RunDirectories`).
    public static func killAllPods() {
        SandboxLauncher.killAll()
        PodNetwork.removeAll()
    }

    /// Removes this process's run directory once no run is left in it (another simulator in the
    /// same process may still have some).
    public func shutdown() {
        launcher.close()
        network.close()
        layers.remove()
        rmdir(directories.mine)
    }

    /// Processes this runtime started that are still alive (pods' inits): none once every pod
    /// has ended, which the tests check.
    public var livePodProcesses: [Int32] { launcher.children }

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
        let attachment: PodAttachment?
        switch await attaching.run({ await attach(pod) }) {
        case .success(let a): attachment = a
        case .failure(let failure): return .failed(containers: [], podReason: "", podMessage: failure.message)
        }
        let runDir = directories.mine + "/" + pod.name + "-" + UUID().uuidString.prefix(8)
        let outcome = await run(pod, in: runDir, network: attachment, timings: timings, started: started)
        detach(attachment, pod, outcome: outcome)
        await PodIO.run { Self.remove(runDir) }
        return outcome
    }

    private func run(_ pod: PodContext, in runDir: String, network: PodAttachment?, timings: SimConfig.Timings,
                     started: @Sendable () async -> Void) async -> RunOutcome {
        let prepared: String? = await PodIO.run { [self] in
            do {
                try prepareVolumes(pod, runDir)
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let prepared {
            return .failed(containers: [], podReason: "", podMessage: "the process runtime could not prepare the pod's volumes: \(prepared)")
        }
        var statuses: [ContainerStatus] = []
        for c in pod.spec.initContainers {
            let status = await runContainer(c, await startContainer(c, pod, runDir, network), pod, deadline: nil)
            statuses.append(status.status)
            if status.status.exitCode != 0 || Task.isCancelled {
                return .failed(containers: statuses, podReason: status.podReason, podMessage: status.podMessage)
            }
        }
        // Every main container is prepared before the pod counts as running: one that cannot start
        // (exit 128, StartError) fails the pod from pending, with no running event (lifecycle §4.3).
        var launches: [Launch] = []
        for c in pod.spec.containers { launches.append(await startContainer(c, pod, runDir, network)) }
        let refused = launches.compactMap { if case .refused(let run) = $0 { run.status } else { nil } }
        if !refused.isEmpty || Task.isCancelled {
            // The others started: they end with the pod, before it fails from pending.
            await withTaskGroup(of: Void.self) { group in
                for (i, launch) in launches.enumerated() {
                    guard case .started(let child, _, _, _) = launch else { continue }
                    launcher.signal(child, SIGKILL)
                    group.addTask { _ = await runContainer(pod.spec.containers[i], launch, pod, deadline: nil) }
                }
            }
            return .failed(containers: statuses + refused, podReason: "", podMessage: "")
        }
        await started()
        let ready = launches
        // The pod's own time is real here (its commands run at real speed), so its deadline is too.
        let deadline = pod.spec.activeDeadlineSeconds.map { ContinuousClock.now + Duration.clamped(seconds: $0) }
        // The kubelet's local-storage eviction: the writable layers, emptyDirs and logs of the run
        // are measured while it runs; past the limit the pod is killed and reported Evicted.
        let storageLimit = pod.spec.ephemeralStorageLimit ?? Self.defaultEphemeralStorage
        let evicted = Flag()
        let results = await withTaskGroup(of: (Int, ContainerRun)?.self) { group in
            for (i, c) in pod.spec.containers.enumerated() {
                group.addTask { (i, await runContainer(c, ready[i], pod, deadline: deadline)) }
            }
            if !pod.spec.containers.isEmpty { group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.storageCheckPeriod)
                    if !Task.isCancelled, await Double(PodIO.run { Self.diskUsage(runDir) }) > storageLimit {
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

    /// A started container, or why it did not start.
    enum Launch: Sendable {
        case started(SandboxLauncher.Child, cgroup: String?, termination: String, log: String)
        case refused(ContainerRun)
    }

    /// Runs a started container to its end.
    func runContainer(_ c: PodSpecView.Container, _ launch: Launch, _ pod: PodContext, deadline: ContinuousClock.Instant?) async -> ContainerRun {
        let child: SandboxLauncher.Child, cgroup: String?, termination: String, log: String
        switch launch {
        case .refused(let run): return run
        case .started(let s, let g, let t, let l): (child, cgroup, termination, log) = (s, g, t, l)
        }
        let outcome = await ProcessWaiter.run(child, of: launcher, grace: pod.terminationGracePeriod, deadline: deadline, cgroup: cgroup)
        if let cgroup { await Self.removeCgroup(cgroup) }
        var status = await PodIO.run {
            ContainerStatus(name: c.name, exitCode: outcome.exitCode, message: Self.readPrefix(termination, bytes: 4096),
                            reason: outcome.exitCode == 0 ? "Completed" : "Error")
        }
        if outcome.oomKilled {
            status.exitCode = 137
            status.reason = "OOMKilled"
            status.cause = .oom
        } else if status.message.isEmpty, c.terminationMessagePolicy == "FallbackToLogsOnError", status.exitCode != 0 {
            status.message = await PodIO.run { Self.readSuffix(log, bytes: 2048) }
        }
        if outcome.deadlineExceeded {
            return ContainerRun(status: status, podReason: "DeadlineExceeded", podMessage: "Pod was active on the node longer than the specified deadline")
        }
        return ContainerRun(status: status)
    }

    /// Starts a container: its termination-message file, its memory group, and its process in its
    /// sandbox; a container that cannot start is a `StartError` (exit 128) with runc's message.
    func startContainer(_ c: PodSpecView.Container, _ pod: PodContext, _ runDir: String, _ network: PodAttachment?) async -> Launch {
        let prepared = await PodIO.run { [self] in prepareContainer(c, pod, runDir, network) }
        let spawn: SandboxLauncher.Spawn, cgroup: String?, termination: String
        switch prepared {
        case .success(let ready): (spawn, cgroup, termination) = ready
        case .failure(let refusal): return .refused(refusal.run)
        }
        switch await launcher.start(spawn) {
        case .success(let child):
            return .started(child, cgroup: cgroup, termination: termination, log: spawn.logPath)
        case .failure(let error):
            if let cgroup { await Self.removeCgroup(cgroup) }
            let cause = error.exec && (error.errno == ENOENT || error.errno == ENOTDIR)
                ? "exec: \"\(spawn.arguments.first ?? "")\": executable file not found in $PATH"
                : error.exec ? "exec: \"\(spawn.arguments.first ?? "")\": \(String(cString: strerror(error.errno)).lowercased())"
                : "error during container init: \(error)"
            return .refused(Self.startError(c, "failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                + "runc create failed: unable to start container process: " + cause + ": unknown"))
        }
    }

    /// A container that did not start: exit 128, `StartError`, as the kubelet reports it.
    static func startError(_ c: PodSpecView.Container, _ message: String) -> ContainerRun {
        ContainerRun(status: ContainerStatus(name: c.name, exitCode: 128, message: message, reason: "StartError"))
    }

    /// A container refused before its start.
    struct Refusal: Error { var run: ContainerRun }

    /// The blocking part of a start: the termination-message file, the memory group and the plan
    /// of the container's sandbox (when the host allows one).
    private func prepareContainer(_ c: PodSpecView.Container, _ pod: PodContext, _ runDir: String, _ network: PodAttachment?)
        -> Result<(SandboxLauncher.Spawn, cgroup: String?, termination: String), Refusal> {
        let rule = images.rule(for: c.image)
        let argv = rule.argv(command: c.command, args: c.args)
        guard !argv.isEmpty else { return .failure(Refusal(run: ContainerRun(status: ContainerStatus(name: c.name, reason: "Completed")))) }
        func startError(_ message: String) -> Result<(SandboxLauncher.Spawn, cgroup: String?, termination: String), Refusal> {
            .failure(Refusal(run: Self.startError(c, message)))
        }
        if let missing = rule.missingTool(image: c.image) { return startError(missing) }
        var image = PodSandbox.Image.host
        if rule.root == .busybox, isolation.mountNamespaces, let tool = rule.tool {
            switch layers.busybox(tool: tool) {
            case .success(let layer): image = .layer(layer)
            case .failure(let error): return startError("image \(PodSpecView.quoted(c.image)): \(error)")
            }
        }
        var env = pod.environment(for: c)
        for (key, value) in network?.environment ?? [:] where env[key] == nil { env[key] = value }
        let tag = c.name.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let terminationFile = "termination-\(tag)"
        let termination = runDir + "/pod/" + terminationFile
        let file = open(termination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o644)
        if file >= 0 { close(file) }
        guard file >= 0 else {
            return startError("cannot create the termination-message file")
        }
        if case .namespaces(let uid?) = isolation.sandbox { lchown(termination, uid, uid) }
        let cgroup = c.memoryLimit.flatMap { limit in isolation.memoryGroup(name: instance + "-" + pod.name + "-" + tag, limit: limit) }
        let sandbox = PodSandbox(isolation: isolation, runDir: runDir, hostname: String(pod.name.prefix(63)),
                                 mounts: c.volumeMounts.map { ($0.name, $0.mountPath) }, terminationFile: terminationFile,
                                 layerDir: runDir + "/layer-" + tag, image: image,
                                 terminationPath: c.terminationMessagePath, workingDir: c.workingDir ?? "/", cgroup: cgroup,
                                 network: network?.network.directory, serviceAccount: network?.serviceAccount, capabilities: PodSandbox.capabilities(add: c.capabilitiesAdd, drop: c.capabilitiesDrop,
                                                                       privileged: c.privileged))
        // The container's log goes to a file of the run, which the child writes directly.
        let spawn = SandboxLauncher.Spawn(arguments: argv, environment: env, logPath: runDir + "/log-\(tag)", plan: sandbox.plan,
                                          network: network?.id)
        return .success((spawn, cgroup, termination))
    }

    /// Kills whatever the command left in its group (a forked child), then removes the group;
    /// the kernel refuses the removal until the killed processes are gone.
    static func removeCgroup(_ path: String) async {
        // On a pool thread, so that it completes even when the run was cancelled (a stopping
        // simulator), and waits without holding the cooperative pool.
        await PodIO.run {
            var pause: useconds_t = 1_000
            for _ in 0..<40 {
                let procs = ((try? String(contentsOfFile: path + "/cgroup.procs", encoding: .utf8)) ?? "")
                    .split(separator: "\n").compactMap { Int32($0) }
                for pid in procs { kill(pid, SIGKILL) }
                if rmdir(path) == 0 || errno == ENOENT { return }
                // The kernel frees the group once the killed processes are reaped: poll, backing off.
                usleep(pause)
                pause = min(pause * 2, 250_000)
            }
        }
    }
}

extension PodContext {
    /// `terminationGracePeriodSeconds` (Kubernetes' default 30 s).
    var terminationGracePeriod: Double { spec.terminationGracePeriodSeconds ?? 30 }
}
