import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Synchronization
import Testing

/// A hostile pod author against the process runtime's sandbox: every escape route reported against
/// the first version, each asserting that the host is unchanged afterwards. Part of the serialized
/// `ProcessRuntimeTests`, whose checks for leftovers would otherwise see these runs.
extension ProcessRuntimeTests {
    /// Runs `bash -c script` on the host; whether it exited 0.
    enum ProcessOutputCheck {
        static func bash(_ script: String) throws -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", script]
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }

    /// A host path no test creates, unique per call.
    static func marker(_ name: String) -> String { NSTemporaryDirectory() + "escape-\(name)-" + UUID().uuidString.prefix(8) }

    /// A pod spec from JSON text (volumes, several containers), with fast termination.
    static func item(_ json: String) throws -> JobSubmitRequestItem {
        let spec = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        return JobSubmitRequestItem(namespace: "default", podSpec: spec)
    }

    /// A container running `script` with `sh -c`. The sandbox's tests run on an image whose root is
    /// the host's (`debian:12`: bash, coreutils), the larger surface to escape from.
    static func container(_ name: String, _ script: String, mounts: String = "[]", image: String = "debian:12") -> String {
        let command = String(decoding: try! JSONEncoder().encode(["sh", "-c", script]), as: UTF8.self)
        return """
            {"name": "\(name)", "image": "\(image)", "command": \(command), "volumeMounts": \(mounts),
             "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}}
            """
    }

    /// Runs one job and returns its events; afterwards nothing of it is left (`run`'s checks).
    func runPod(_ item: JobSubmitRequestItem) async throws -> [EventMessage] {
        let events = Mutex<[EventMessage]>([])
        try await run { client, _ in
            let received = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [item]).values.first ?? []
            events.withLock { $0 = received }
        }
        return events.withLock { $0 }
    }

    /// Runs `script` in a pod; what it wrote to its termination log (it exits 1 so the log is reported).
    func probe(_ script: String, image: String = "debian:12") async throws -> String {
        let spec = """
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
             "containers": [\(Self.container("probe", "{ \(script) ; } > /dev/termination-log 2>&1; exit 1", image: image))]}
            """
        let events = try await runPod(try Self.item(spec))
        return events.last?.containerStatuses.first?.message ?? "(no message: \(events.sequence): \(events.last?.reason ?? ""))"
    }

    @Test func writesThroughProcRootStayInsideThePod() async throws {
        let viaSimulator = Self.marker("proc-sim"), viaInit = Self.marker("proc-1")
        let out = try await probe("echo x > /proc/\(getpid())/root\(viaSimulator); echo x > /proc/1/root\(viaInit); ls /proc/\(getpid()) >/dev/null 2>&1 && echo sees-simulator || echo no-simulator")
        #expect(out.hasSuffix("no-simulator\n"), "\(out)")
        #expect(!FileManager.default.fileExists(atPath: viaSimulator) && !FileManager.default.fileExists(atPath: viaInit))
    }

    @Test func pathsFromTheSpecNeverReachTheHost() async throws {
        let outside = Self.marker("path")
        let climb = "../../../../../../../../.." + outside
        let specs = [
            // A downward-API item climbing out of its volume: the simulator would write it.
            """
            {"volumes": [{"name": "podinfo", "downwardAPI": {"items": [{"path": "\(climb)", "fieldRef": {"fieldPath": "metadata.name"}}]}}],
             "containers": [\(Self.container("c", "true", mounts: #"[{"name": "podinfo", "mountPath": "/podinfo"}]"#))]}
            """,
            // A mount path, a termination-message path and a volume name with `..`.
            """
            {"volumes": [{"name": "data", "emptyDir": {}}],
             "containers": [\(Self.container("c", "true", mounts: "[{\"name\": \"data\", \"mountPath\": \"/..\(outside)\"}]"))]}
            """,
            """
            {"containers": [\(Self.container("c", "true").dropLast()), "terminationMessagePath": "/../..\(outside)"}]}
            """,
            """
            {"volumes": [{"name": "../../..\(outside)", "emptyDir": {}}], "containers": [\(Self.container("c", "true"))]}
            """,
        ]
        for spec in specs {
            let events = try await runPod(try Self.item(spec))
            #expect(events.sequence == "submitted queued leased failed", "\(spec)")
            #expect(events.last?.reason.contains(" is invalid: spec.") == true, "\(events.last?.reason ?? "")")
            #expect(!FileManager.default.fileExists(atPath: outside), "\(spec)")
        }
    }

    @Test func symlinksPlantedInAnEmptyDirResolveInsideThePod() async throws {
        let outside = Self.marker("link")
        let mounts = #"[{"name": "shared", "mountPath": "/shared"}]"#
        let spec = """
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "volumes": [{"name": "shared", "emptyDir": {}}],
             "initContainers": [\(Self.container("plant", "ln -s \(NSTemporaryDirectory()) /shared/out; ln -s / /shared/root", mounts: mounts))],
             "containers": [\(Self.container("use", "echo pwned > /shared/out/\((outside as NSString).lastPathComponent); echo pwned > /shared/root\(outside)", mounts: mounts))]}
            """
        let events = try await runPod(try Self.item(spec))
        #expect(events.last?.type == .succeeded, "\(events.sequence)")
        #expect(!FileManager.default.fileExists(atPath: outside))
    }

    /// A TCP port listening on the host's loopback for the duration of `body`.
    static func withListener<T>(_ body: (UInt16) async throws -> T) async throws -> T {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return try await body(UInt16(bigEndian: address.sin_port))
    }

    @Test func aPodSeesNoHostProcessAndHasNoHostPower() async throws {
        let host = getpid()
        let (hostReaches, out) = try await Self.withListener { port in
            // The host reaches the listener; the pod must not.
            let reachable = try ProcessOutputCheck.bash("exec 3<>/dev/tcp/127.0.0.1/\(port)")
            return (reachable, try await probe("""
            echo "uid=$(id -u) host-pids=$(ls /proc | grep -c '^[0-9][0-9]*$') hostname=$(hostname)"; \
            kill -0 \(host) 2>/dev/null && echo signal-ok || echo signal-refused; \
            grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; \
            echo x > /etc/escape-marker && echo etc-writable-in-pod; \
            bash -c 'exec 3<>/dev/tcp/127.0.0.1/\(port)' 2>/dev/null && echo host-network || echo no-host-network
            """))
        }
        #expect(hostReaches)
        // The probe is PID 1 with its shell and a few helpers: nothing of the host.
        let pids = out.split(separator: " ").first { $0.hasPrefix("host-pids=") }.flatMap { Int($0.dropFirst(10)) } ?? 99
        #expect(out.hasPrefix("uid=0 ") && pids < 8, "\(out)")
        #expect(out.contains("hostname=armada-"))
        #expect(out.contains("signal-refused") && out.contains("no-host-network"))
        #expect(out.contains("CapEff:\t00000000a80425fb") && out.contains("NoNewPrivs:\t1"), "\(out)")
        #expect(out.contains("etc-writable-in-pod") && !FileManager.default.fileExists(atPath: "/etc/escape-marker"))
    }

    @Test func aFifoAtTheTerminationPathFailsTheStartInsteadOfHoldingIt() async throws {
        // An init container leaves a FIFO where the main container's termination log goes: the
        // sandbox's setup must not wait for a reader that never comes.
        let started = ContinuousClock.now
        let events = try await runPod(try Self.item("""
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "volumes": [{"name": "data", "emptyDir": {}}],
             "initContainers": [\(Self.container("fifo", "mkfifo /data/term", mounts: #"[{"name": "data", "mountPath": "/data"}]"#))],
             "containers": [\(Self.container("main", "exit 0", mounts: #"[{"name": "data", "mountPath": "/data"}]"#).dropLast()),
                            "terminationMessagePath": "/data/term"}]}
            """))
        #expect(events.last?.type == .failed, "\(events.sequence)")
        #expect(events.last?.containerStatuses.first { $0.name == "main" }?.reason == "StartError", "\(events.last?.reason ?? "")")
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func podsStartWithTheDefaultSignalDispositions() async throws {
        // Nothing of the simulator's or the launcher's signal set-up (a crash handler, an ignored
        // SIGPIPE, a blocked SIGCHLD) reaches a pod's processes.
        for image in ["debian:12", "alpine"] {
            let out = try await probe("grep -E '^(SigBlk|SigIgn)' /proc/self/status", image: image)
            #expect(out == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n", "\(image): \(out)")
        }
    }

    @Test func filesAPodCreatesBelongToItsUnprivilegedUid() async throws {
        let spec = """
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "volumes": [{"name": "data", "emptyDir": {}}],
             "containers": [\(Self.container("c", "touch /data/f; { stat -c %u /data/f; cat /proc/self/uid_map; } > /dev/termination-log; exit 1",
                                             mounts: #"[{"name": "data", "mountPath": "/data"}]"#))]}
            """
        let events = try await runPod(try Self.item(spec))
        // Pod root is uid 0 inside, and the kernel maps it to one unprivileged host uid (or this user).
        let lines = (events.last?.containerStatuses.first?.message ?? "").split(separator: "\n")
        #expect(lines.first == "0")
        let map = lines.dropFirst().first?.split(separator: " ").map(String.init) ?? []
        #expect(map == ["0", String(getuid() == 0 ? 1_500_000_000 : getuid()), "1"], "\(lines)")
        #expect(Self.runtime.capabilities.contains(getuid() == 0 ? "pod root is host uid 1500000000" : "pod root is this user"))
    }

    @Test func theContainerEndsWithItsMainProcessAndTakesItsChildren() async throws {
        // A duration no other process has: `sleep 1000.<random>` names the orphan on the host.
        let marker = "1000.\(UInt32.random(in: 100_000...999_999))"
        let started = ContinuousClock.now
        let events = try await runPod(try Self.item("""
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
             "containers": [\(Self.container("c", "sleep \(marker) & kill -0 $! && echo child-alive > /dev/termination-log; exit 1"))]}
            """))
        // The child was running when the main process ended the container, and did not outlive it.
        #expect(events.last?.containerStatuses.first?.message == "child-alive\n", "\(events.sequence)")
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(!ProcessRuntimeTests.processExists(named: "sleep\0\(marker)"))
    }

    @Test func writingPastTheEphemeralStorageLimitEvictsThePod() async throws {
        let spec = """
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "volumes": [{"name": "scratch", "emptyDir": {}}],
             "containers": [{"name": "fill", "image": "alpine", "command": ["sh", "-c", "dd if=/dev/zero of=/scratch/fill bs=1M count=40; sleep 60"],
                             "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}],
                             "resources": {"limits": {"cpu": "100m", "memory": "64Mi", "ephemeral-storage": "10Mi"}}}]}
            """
        let started = ContinuousClock.now
        let events = try await runPod(try Self.item(spec))
        #expect(events.last?.type == .failed && events.last?.cause == .evicted, "\(events.sequence)")
        #expect(events.last?.reason.contains("Pod ephemeral local storage usage exceeds the total limit of containers 10Mi.") == true,
                "\(events.last?.reason ?? "")")
        #expect(ContinuousClock.now - started < .seconds(30)) // not the sleep's minute
    }

    @Test func writingPastTheLimitIntoTheContainersRootEvictsToo() async throws {
        // Not a volume: the container's writable layer over /var, which lives in the run directory.
        let spec = """
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
             "containers": [{"name": "fill", "image": "alpine", "command": ["sh", "-c", "dd if=/dev/zero of=/var/fill bs=1M count=40; sleep 60"],
                             "resources": {"limits": {"cpu": "100m", "memory": "64Mi", "ephemeral-storage": "10Mi"}}}]}
            """
        let events = try await runPod(try Self.item(spec))
        #expect(events.last?.type == .failed && events.last?.cause == .evicted, "\(events.sequence)")
    }

    @Test func everyContainerOfAPodWritesItsOwnRoot() async throws {
        // Each container has its own writable layers: what one writes under /etc the other does not see.
        func writer(_ name: String) -> String {
            Self.container(name, "echo \(name) > /etc/who; sleep 0.3; cat /etc/who > /dev/termination-log; exit 1")
        }
        let events = try await runPod(try Self.item("""
            {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "containers": [\(writer("first")), \(writer("second"))]}
            """))
        let messages = Dictionary(uniqueKeysWithValues: (events.last?.containerStatuses ?? []).map { ($0.name, $0.message) })
        #expect(messages == ["first": "first\n", "second": "second\n"], "\(events.sequence) \(messages)")
    }

    @Test func aStartRemovesWhatAKilledSimulatorLeftBehind() throws {
        // A pid no process has: what a simulator killed by SIGKILL would have left.
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let root = NSTemporaryDirectory() + "stale-runs-" + UUID().uuidString.prefix(6)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/\(dead)/armada-x-0-0-1234/pod/volumes/data", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/\(getpid())/mine", withIntermediateDirectories: true)
        var group: String?
        for cgroups in ["/sys/fs/cgroup/memory/armada-sim", "/sys/fs/cgroup/armada-sim"] where FileManager.default.fileExists(atPath: cgroups) {
            group = cgroups + "/\(dead)-armada-x-0-0-c-abc123"
            try FileManager.default.createDirectory(atPath: group!, withIntermediateDirectories: false)
            break
        }
        let runtime = ProcessRuntime(workRoot: root)
        #expect(!FileManager.default.fileExists(atPath: root + "/\(dead)"))
        #expect(FileManager.default.fileExists(atPath: root + "/\(getpid())/mine")) // a live simulator's runs stay
        // Other simulators that died while the tests ran (a CLI test's forced exit) may add to the counts.
        #expect(runtime.capabilities.contains("; removed what an earlier simulator left behind: "), "\(runtime.capabilities)")
        if let group {
            #expect(!FileManager.default.fileExists(atPath: group))
            #expect(!runtime.capabilities.hasSuffix(", 0 memory groups"))
        }
    }

    @Test func capabilitiesFollowTheSpecsSecurityContext() async throws {
        func capEff(_ securityContext: String) async throws -> String {
            let spec = """
                {"restartPolicy": "Never", "terminationGracePeriodSeconds": 0,
                 "containers": [\(Self.container("c", "grep CapEff /proc/self/status > /dev/termination-log; exit 1").dropLast()),
                                "securityContext": \(securityContext)}]}
                """
            return try await runPod(try Self.item(spec)).last?.containerStatuses.first?.message ?? ""
        }
        #expect(try await capEff("{}") == "CapEff:\t00000000a80425fb\n")
        #expect(try await capEff(#"{"capabilities": {"drop": ["ALL"]}}"#) == "CapEff:\t0000000000000000\n")
        // NET_ADMIN is bit 12; dropping KILL (bit 5) removes it from the default set.
        #expect(try await capEff(#"{"capabilities": {"add": ["NET_ADMIN"], "drop": ["KILL"]}}"#) == "CapEff:\t00000000a80435db\n")
    }
}
