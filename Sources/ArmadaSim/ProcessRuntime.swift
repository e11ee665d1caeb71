import ArmadaAPI
import Foundation
import Synchronization

/// Runs each container's command as a host process group (issue #5): Kubernetes entrypoint rules,
/// env (literal and downward-API), `HOSTNAME`, `workingDir`; as root, a private mount namespace
/// with an overlay root holds the pod's downward-API and emptyDir volumes and its termination-log
/// file at their real paths, and a memory cgroup enforces `limits.memory` (OOMKilled, 137).
/// Images are not pulled: host binaries run.
public struct ProcessRuntime: PodRuntime {
    public var name: String { "process" }
    public let unpullableImages: String
    let isolation: HostIsolation
    let workRoot: String

    public init(unpullableImages: String = "non-existing|does-not-exist", workRoot: String = NSTemporaryDirectory() + "armada-sim-runs") {
        self.unpullableImages = unpullableImages
        self.isolation = HostIsolation.detect()
        self.workRoot = workRoot
    }

    /// What the host allows, for `serve` and the runner's banner.
    public var capabilities: String { isolation.summary }

    public func run(_ pod: PodContext, timings: SimConfig.Timings, started: @Sendable () async -> Void) async -> RunOutcome {
        if let image = pod.unpullableImage(unpullableImages) {
            await timings.pause(timings.imagePullFailGrace)
            return .imagePullFailure(image)
        }
        let needsMounts = !pod.spec.containers.allSatisfy { $0.volumeMounts.isEmpty } || !pod.spec.initContainers.allSatisfy { $0.volumeMounts.isEmpty }
        if needsMounts, !isolation.mountNamespaces {
            return .failed(containers: [], podReason: "", podMessage: "the process runtime cannot mount this pod's volumes here: "
                + "it needs root, \(HostIsolation.unshare) and overlayfs; use the model runtime (--sim-runtime model)")
        }
        let runDir = workRoot + "/" + pod.name + "-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: runDir) }
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
        let deadline = pod.spec.activeDeadlineSeconds.map { ContinuousClock.now + .nanoseconds(Int64($0 * timings.timeScale * 1e9)) }
        let results = await withTaskGroup(of: (Int, ContainerRun).self) { group in
            for (i, c) in pod.spec.containers.enumerated() {
                group.addTask { (i, await runContainer(c, pod, runDir, deadline: deadline)) }
            }
            var out: [(Int, ContainerRun)] = []
            for await r in group { out.append(r) }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let main = results.map(\.status)
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

    // MARK: Volumes

    func volumeDir(_ runDir: String, _ name: String) -> String { runDir + "/volumes/" + name }

    func prepareVolumes(_ pod: PodContext, _ runDir: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: runDir + "/volumes", withIntermediateDirectories: true)
        for volume in pod.spec.volumes {
            let dir = volumeDir(runDir, volume.name)
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (path, field) in volume.downwardItems {
                let file = dir + "/" + path
                try fm.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try (pod.field(field) ?? "").write(toFile: file, atomically: true, encoding: .utf8)
            }
        }
    }

    // MARK: One container

    static func locate(_ program: String, path: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(program)") {
            return "\(dir)/\(program)"
        }
        return nil
    }

    /// The kubelet's environment plus the working directory the chroot shell changes into.
    func environment(_ c: PodSpecView.Container, _ pod: PodContext) -> [String: String] {
        var env = pod.environment(for: c)
        env["ARMADA_WORKDIR"] = c.workingDir ?? "/"
        return env
    }

    func runContainer(_ c: PodSpecView.Container, _ pod: PodContext, _ runDir: String, deadline: ContinuousClock.Instant?) async -> ContainerRun {
        let argv = c.argv
        guard let program = argv.first else { return ContainerRun(status: ContainerStatus(name: c.name, reason: "Completed")) }
        let env = environment(c, pod)
        guard Self.locate(program, path: env["PATH"] ?? "") != nil else {
            return ContainerRun(status: ContainerStatus(name: c.name, exitCode: 128, message: "failed to create containerd task: failed to create shim task: "
                + "OCI runtime create failed: runc create failed: unable to start container process: exec: \"\(program)\": "
                + "executable file not found in $PATH: unknown", reason: "StartError"))
        }
        let tag = c.name.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        let termination = runDir + "/termination-\(tag)"
        _ = FileManager.default.createFile(atPath: termination, contents: nil)
        let cgroup = c.memoryLimit.flatMap { limit in isolation.memoryGroup(name: pod.name + "-" + tag, limit: limit) }
        let script = wrapperScript(c, pod, runDir, termination: termination, cgroup: cgroup)
        let process = Process()
        // Foundation starts the child as the leader of its own process group, so signals to the
        // group reach everything the command starts.
        process.executableURL = URL(fileURLWithPath: isolation.mountNamespaces ? HostIsolation.unshare : "/bin/sh")
        process.arguments = isolation.mountNamespaces
            ? ["--mount", "--propagation", "private", "/bin/sh", "-c", script, "sh"] + argv
            : ["-c", script, "sh"] + argv
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: isolation.mountNamespaces ? "/" : (c.workingDir ?? "/"))
        let output = LogTail()
        let pipe = Pipe()
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let outcome = await ProcessWaiter.run(process, grace: pod.terminationGracePeriod, deadline: deadline, cgroup: cgroup)
        pipe.fileHandleForReading.readabilityHandler = nil
        if let cgroup { await Self.removeCgroup(cgroup) }
        let message = (try? String(contentsOfFile: termination, encoding: .utf8)) ?? ""
        var status = ContainerStatus(name: c.name, exitCode: outcome.exitCode, message: String(message.prefix(4096)),
                                     reason: outcome.exitCode == 0 ? "Completed" : "Error")
        if outcome.oomKilled {
            status.exitCode = 137
            status.reason = "OOMKilled"
            status.cause = .oom
        } else if status.message.isEmpty, c.terminationMessagePolicy == "FallbackToLogsOnError", status.exitCode != 0 {
            status.message = String(output.text.suffix(2048))
        }
        if outcome.deadlineExceeded {
            return ContainerRun(status: status, podReason: "DeadlineExceeded", podMessage: "Pod was active on the node longer than the specified deadline")
        }
        return ContainerRun(status: status)
    }

    /// The shell that sets the run up inside its mount namespace (or directly) and execs the command.
    func wrapperScript(_ c: PodSpecView.Container, _ pod: PodContext, _ runDir: String, termination: String, cgroup: String?) -> String {
        func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        var lines = ["set -e"]
        if let cgroup { lines.append("echo $$ > \(q(cgroup + "/cgroup.procs"))") }
        guard isolation.mountNamespaces else {
            lines.append("exec \"$@\"")
            return lines.joined(separator: "\n")
        }
        let root = runDir + "/root"
        lines += [
            "mkdir -p \(q(runDir))/upper \(q(runDir))/work \(q(root))",
            "mount -t overlay overlay -o lowerdir=/,upperdir=\(q(runDir))/upper,workdir=\(q(runDir))/work \(q(root))",
            "mount -t proc proc \(q(root))/proc",
            "mount -t tmpfs -o mode=755 tmpfs \(q(root))/dev",
            "for d in null zero random urandom full tty; do touch \(q(root))/dev/$d; mount --bind /dev/$d \(q(root))/dev/$d; done",
            "ln -s /proc/self/fd \(q(root))/dev/fd; ln -s /proc/self/fd/0 \(q(root))/dev/stdin",
            "ln -s /proc/self/fd/1 \(q(root))/dev/stdout; ln -s /proc/self/fd/2 \(q(root))/dev/stderr",
            "mkdir -p \(q(root))/dev/shm; mount -t tmpfs -o mode=1777 tmpfs \(q(root))/dev/shm",
            "mkdir -p \(q(root))/tmp; mount -t tmpfs -o mode=1777 tmpfs \(q(root))/tmp",
        ]
        let path = c.terminationMessagePath
        lines.append("mkdir -p \(q(root + (path as NSString).deletingLastPathComponent)); touch \(q(root + path)); mount --bind \(q(termination)) \(q(root + path))")
        for mount in c.volumeMounts where pod.spec.volumes.contains(where: { $0.name == mount.name }) {
            lines.append("mkdir -p \(q(root + mount.mountPath)); mount --bind \(q(volumeDir(runDir, mount.name))) \(q(root + mount.mountPath))")
        }
        lines.append("exec /usr/sbin/chroot \(q(root)) /bin/sh -c 'cd \"${ARMADA_WORKDIR:-/}\" 2>/dev/null; exec \"$@\"' sh \"$@\"")
        return lines.joined(separator: "\n")
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

/// The last `limit` bytes a container wrote to stdout and stderr: the log is bounded however much
/// the command prints.
final class LogTail: Sendable {
    private let buffer = Mutex<[UInt8]>([])
    let limit: Int

    init(limit: Int = 64 << 10) { self.limit = limit }

    func append(_ data: Data) {
        guard !data.isEmpty else { return }
        buffer.withLock { b in
            b.append(contentsOf: data)
            if b.count > limit { b.removeFirst(b.count - limit) }
        }
    }

    var text: String { String(decoding: buffer.withLock { $0 }, as: UTF8.self) }
}

extension PodContext {
    /// `terminationGracePeriodSeconds` (Kubernetes' default 30 s).
    var terminationGracePeriod: Double { spec.terminationGracePeriodSeconds ?? 30 }
}
