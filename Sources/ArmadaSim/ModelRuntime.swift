import ArmadaAPI
import Foundation

/// Decides each run from its pod spec without running anything (lifecycle §8.2): deterministic,
/// for load tests and unit tests. `sh -c` scripts go through `ShellScript`; the downward-API files
/// and env of the pod are visible to them, so scripts that branch on `armada_job_run_index` work.
/// The annotation `sim.armadaproject.io/outcomes` (`exit:1,exit:0`, one per run) forces outcomes.
public struct ModelRuntime: PodRuntime {
    public var name: String { "model" }
    public let unpullableImages: String

    public init(unpullableImages: String = "non-existing|does-not-exist") { self.unpullableImages = unpullableImages }

    public static let outcomesAnnotation = "sim.armadaproject.io/outcomes"
    public static let durationAnnotation = "sim.armadaproject.io/duration"

    /// What one container does.
    struct Plan: Equatable {
        var duration: Double = 0
        var exitCode: Int32 = 0
        var reason = "Completed"
        var message = ""
        var startError: String?
        var unsupported: String?
    }

    /// How a run goes: a wait, the containers starting (or not), a wait, the outcome. Decided up
    /// front from the pod spec, so a run whose waits are all zero completes without a task.
    struct Course: Equatable {
        var before: Double = 0
        var starts = false
        var after: Double = 0
        var outcome: RunOutcome
    }

    public func run(_ pod: PodContext, timings: SimConfig.Timings, started: @Sendable () async -> Void) async -> RunOutcome {
        let course = course(pod, timings)
        await timings.pause(course.before)
        guard course.starts else { return course.outcome }
        await started()
        await timings.pause(course.after)
        return course.outcome
    }

    public func instantOutcome(_ pod: PodContext, timings: SimConfig.Timings) -> (started: Bool, outcome: RunOutcome)? {
        let course = course(pod, timings)
        guard timings.real(course.before) == .zero, timings.real(course.after) == .zero else { return nil }
        return (course.starts, course.outcome)
    }

    func course(_ pod: PodContext, _ timings: SimConfig.Timings) -> Course {
        if let image = pod.unpullableImage(unpullableImages) {
            return Course(before: timings.imagePullFailGrace, outcome: .imagePullFailure(image))
        }
        if let forced = forcedOutcome(pod) { return forced.course(pod) }
        let before = timings.pendingToRunning
        let plans = pod.spec.containers.map { plan($0, pod) }
        if let bad = plans.first(where: { $0.unsupported != nil }), let why = bad.unsupported {
            let container = pod.spec.containers[plans.firstIndex(of: bad)!]
            return Course(before: before, outcome: .failed(
                containers: [ContainerStatus(name: container.name, exitCode: 126, message: "", reason: "Error")], podReason: "",
                podMessage: "the model runtime cannot interpret container \(container.name): \(why); "
                    + "use the process runtime (--sim-runtime process) or the \(Self.outcomesAnnotation) annotation"))
        }
        if plans.allSatisfy({ $0.startError != nil }) {
            return Course(before: before, outcome: .failed(containers: zip(pod.spec.containers, plans).map { c, p in
                ContainerStatus(name: c.name, exitCode: 128, message: p.startError ?? "", reason: "StartError")
            }, podReason: "", podMessage: ""))
        }
        let duration = plans.map(\.duration).max() ?? 0
        if let deadline = pod.spec.activeDeadlineSeconds, deadline < duration {
            return Course(before: before, starts: true, after: deadline, outcome: .failed(
                containers: [], podReason: "DeadlineExceeded", podMessage: "Pod was active on the node longer than the specified deadline"))
        }
        let statuses = zip(pod.spec.containers, plans).map { c, p in
            ContainerStatus(name: c.name, exitCode: p.startError != nil ? 128 : p.exitCode, message: p.startError ?? p.message,
                            reason: p.startError != nil ? "StartError" : p.reason, cause: p.reason == "OOMKilled" ? .oom : .error)
        }
        return Course(before: before, starts: true, after: duration, outcome: statuses.contains { $0.exitCode != 0 }
            ? .failed(containers: statuses, podReason: "", podMessage: "") : .succeeded(statuses))
    }

    /// What the container does, from its argv.
    func plan(_ c: PodSpecView.Container, _ pod: PodContext) -> Plan {
        var plan = Plan()
        let argv = c.argv
        guard let program = argv.first else { return plan } // the image default: exits 0 at once
        let name = program.split(separator: "/").last.map(String.init) ?? program
        let script: String
        switch name {
        case "sh", "bash", "ash":
            guard argv.count >= 3, argv[1] == "-c" else {
                plan.unsupported = "\(program) without -c"
                return plan
            }
            script = argv[2]
        case "exit":
            plan.startError = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: "
                + "unable to start container process: exec: \"exit\": executable file not found in $PATH: unknown"
            return plan
        default:
            // A plain command line: the same interpreter, with every argument quoted.
            script = argv.map { "'\($0)'" }.joined(separator: " ")
        }
        var shell = ShellScript(environment: pod.environment(for: c), files: files(c, pod))
        let result = shell.run(script)
        if let u = result.unsupported {
            plan.unsupported = u
            return plan
        }
        plan.duration = result.duration
        if result.unboundedMemory || result.memory > (c.memoryLimit ?? .infinity) {
            plan.exitCode = 137
            plan.reason = "OOMKilled"
            return plan
        }
        plan.exitCode = result.exitCode
        plan.reason = result.exitCode == 0 ? "Completed" : "Error"
        plan.message = result.files[c.terminationMessagePath] ?? ""
        if plan.message.isEmpty, c.terminationMessagePolicy == "FallbackToLogsOnError", result.exitCode != 0 {
            plan.message = String(result.stdout.suffix(2048))
        }
        return plan
    }

    /// Downward-API files at their mount paths.
    func files(_ c: PodSpecView.Container, _ pod: PodContext) -> [String: String] {
        var files: [String: String] = [:]
        for mount in c.volumeMounts {
            guard let volume = pod.spec.volumes.first(where: { $0.name == mount.name }) else { continue }
            for (path, field) in volume.downwardItems { files[mount.mountPath + "/" + path] = pod.field(field) ?? "" }
        }
        return files
    }

    // MARK: Forced outcomes

    struct Forced {
        var spec: String
        var duration: Double

        func course(_ pod: PodContext) -> Course {
            let name = pod.spec.containers.first?.name ?? "main"
            let parts = spec.split(separator: ":").map(String.init)
            switch parts[0] {
            case "lease-return":
                return Course(outcome: .leaseReturned(reason: "Unable to start pod.\nsimulated lease return",
                                                      attempted: parts.count > 1 && parts[1] == "attempted"))
            case "image-pull-fail":
                return Course(outcome: .failed(containers: [], podReason: "", podMessage: "Unable to start pod - encountered an unrecoverable problem.\nMatched check: \"check-0\"\nsimulated image pull failure"))
            case "start-error":
                return Course(outcome: .failed(containers: [ContainerStatus(name: name, exitCode: 128, message: "simulated start error", reason: "StartError")],
                                               podReason: "", podMessage: ""))
            default: break
            }
            let outcome: RunOutcome
            switch parts[0] {
            case "oom": outcome = .failed(containers: [ContainerStatus(name: name, exitCode: 137, reason: "OOMKilled", cause: .oom)], podReason: "", podMessage: "")
            case "evict": outcome = .failed(containers: [ContainerStatus(name: name, exitCode: 137, reason: "Error")], podReason: "Evicted",
                                            podMessage: "The node was low on resource: memory.")
            case "deadline": outcome = .failed(containers: [], podReason: "DeadlineExceeded", podMessage: "Pod was active on the node longer than the specified deadline")
            case "exit":
                let code = parts.count > 1 ? Int32(parts[1]) ?? 1 : 1
                let status = ContainerStatus(name: name, exitCode: code, message: parts.count > 2 ? parts[2] : "", reason: code == 0 ? "Completed" : "Error")
                outcome = code == 0 ? .succeeded([status]) : .failed(containers: [status], podReason: "", podMessage: "")
            default: outcome = .succeeded([ContainerStatus(name: name, reason: "Completed")])
            }
            return Course(starts: true, after: duration, outcome: outcome)
        }
    }

    func forcedOutcome(_ pod: PodContext) -> Forced? {
        guard let list = pod.annotations[Self.outcomesAnnotation] else { return nil }
        let outcomes = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !outcomes.isEmpty else { return nil }
        let duration = pod.annotations[Self.durationAnnotation].flatMap(ShellScript.seconds) ?? 0
        return Forced(spec: outcomes[min(pod.runIndex, outcomes.count - 1)], duration: duration)
    }
}
