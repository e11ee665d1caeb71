import ArmadaAPI
import Foundation
import RetryEngine

extension Simulator {
    /// The fake executor: creates the pod after `leaseToPending`, lets the runtime run it and
    /// reports each step back.
    func startRun(_ jobId: String, _ run: SimJob.Run) {
        let runtime = self.runtime
        let timings = config.timings
        if timings.real(timings.leaseToPending) == .zero {
            // A run that takes no time at all completes here, in the scheduler cycle: no task, no hops.
            guard let pod = podCreated(jobId, run.id) else { return }
            if let (started, outcome) = runtime.instantOutcome(pod, timings: timings) {
                if started { podStarted(jobId, run.id) }
                runEnded(jobId, run.id, outcome)
                return
            }
            runTasks[run.id] = Task { [weak self] in
                await Self.execute(self, runtime, timings, jobId, run.id, pod)
                await self?.forget(run.id)
            }
            return
        }
        runTasks[run.id] = Task { [weak self] in
            await Self.drive(self, runtime, timings, jobId, run)
            await self?.forget(run.id)
        }
    }

    private static func drive(_ simulator: Simulator?, _ runtime: any PodRuntime, _ timings: SimConfig.Timings,
                              _ jobId: String, _ run: SimJob.Run) async {
        await timings.pause(timings.leaseToPending)
        guard !Task.isCancelled, let simulator, let pod = await simulator.podCreated(jobId, run.id) else { return }
        await execute(simulator, runtime, timings, jobId, run.id, pod)
    }

    /// Runs the created pod and reports its steps.
    private static func execute(_ simulator: Simulator?, _ runtime: any PodRuntime, _ timings: SimConfig.Timings,
                                _ jobId: String, _ runId: String, _ pod: PodContext) async {
        let outcome = await runtime.run(pod, timings: timings) { [weak simulator] in
            await simulator?.podStarted(jobId, runId)
        }
        guard !Task.isCancelled, let simulator else { return }
        await simulator.runEnded(jobId, runId, outcome)
    }

    /// A run's task has finished (its runtime cleaned up).
    func forget(_ runId: String) {
        runTasks[runId] = nil
        stoppingTasks[runId] = nil
    }

    func isCurrent(_ jobId: String, _ runId: String) -> Bool { jobs[jobId]?.currentRun?.id == runId }

    func podFields(_ e: inout EventMessage, _ job: SimJob, _ run: SimJob.Run, nodeName: Bool) {
        e.clusterId = config.executorId
        e.kubernetesId = run.kubernetesId
        e.podName = run.podName
        e.podNamespace = job.namespace
        if nodeName { e.nodeName = run.node }
    }

    func podCreated(_ jobId: String, _ runId: String) -> PodContext? {
        guard isCurrent(jobId, runId), let job = jobs[jobId], let run = job.currentRun else { return nil }
        // Fatal pod-submission errors: reported at once, no pod, no category.
        if !config.namespaces.contains(job.namespace) {
            podRejected(jobId, job, run, reason: "namespaces \"\(job.namespace)\" not found")
            return nil
        }
        let invalid = job.base.podProblems
        if !invalid.isEmpty {
            // The API server's wording: one error as is, several in brackets.
            let list = invalid.count == 1 ? invalid[0] : "[" + invalid.joined(separator: ", ") + "]"
            podRejected(jobId, job, run, reason: "Pod \"\(run.podName)\" is invalid: \(list)")
            return nil
        }
        jobs[jobId]?.state = .pending
        var pending = event(.pending, job)
        podFields(&pending, job, run, nodeName: false)
        pending.pool = config.pool
        append(job, [pending])
        var labels = job.labels
        labels["armada_job_id"] = job.id
        labels["armada_queue_id"] = job.queue
        labels["armada_jobset_id"] = job.jobSet
        labels["armada_job_run_id"] = run.id
        labels["armada_pod_number"] = "0"
        if config.retryEngineEnabled { labels["armada_job_run_index"] = String(run.index) }
        var annotations = job.annotations
        annotations["armada_jobset_id"] = job.jobSet
        annotations["armada_owner"] = job.owner
        var spec = job.spec
        let grown = job.memoryBump.containerMemory(main: spec.containers.map(\.memoryLimit),
                                                   initContainers: spec.initContainers.map(\.memoryLimit))
        for i in spec.containers.indices { spec.containers[i].memoryLimit = grown.main[i] }
        for i in spec.initContainers.indices { spec.initContainers[i].memoryLimit = grown.initContainers[i] }
        return PodContext(name: run.podName, namespace: job.namespace, jobId: job.id, runIndex: run.index, labels: labels,
                          annotations: annotations, nodeName: run.node, spec: spec, services: job.item.services ?? [],
                          ingressPorts: (job.item.ingress ?? []).flatMap { $0.ports ?? [] })
    }

    /// The executor could not create the pod: the job fails at once with the API server's reason.
    func podRejected(_ jobId: String, _ job: SimJob, _ run: SimJob.Run, reason: String) {
        endRun(of: jobId)
        jobs[jobId]?.state = .failed
        var failed = event(.failed, job)
        failed.clusterId = config.executorId
        failed.podName = run.podName
        failed.podNamespace = job.namespace
        failed.reason = reason
        append(job, [failed])
    }

    func podStarted(_ jobId: String, _ runId: String) {
        guard isCurrent(jobId, runId), let job = jobs[jobId], let run = job.currentRun, !run.started else { return }
        jobs[jobId]?.state = .running
        jobs[jobId]?.runs[run.index].started = true
        jobs[jobId]?.runs[run.index].podIP = runtime.podAddress(run.podName) ?? ""
        var running = event(.running, job)
        podFields(&running, job, run, nodeName: true)
        running.pool = config.pool
        append(job, [running])
        if !(job.item.ingress ?? []).isEmpty || !(job.item.services ?? []).isEmpty {
            var info = event(.ingressInfo, job)
            podFields(&info, job, run, nodeName: true)
            info.ingressAddresses = ingressAddresses(job, run)
            for ingress in job.item.ingress ?? [] {
                for port in ingress.ports ?? [] {
                    guard let host = info.ingressAddresses[String(port)] else { continue }
                    ingressRoutes[host.lowercased()] = (run.podName, Int(port), jobId, runId)
                }
            }
            append(job, [info])
        }
    }

    /// The pod address and port behind an ingress host, while its run is current (`SimIngress`).
    public func ingressTarget(_ host: String) -> (host: String, port: Int)? {
        guard let route = ingressRoutes[host], isCurrent(route.jobId, route.runId) else { return nil }
        return runtime.podAddress(route.pod).map { ($0, route.port) }
    }

    /// Lifecycle §4.14: ingress hosts `<container>-<port>-armada-<jobId>-0.<namespace>.svc`, NodePort
    /// services `<hostIP>:<nodePort>`; headless services add nothing.
    func ingressAddresses(_ job: SimJob, _ run: SimJob.Run) -> [String: String] {
        var addresses: [String: String] = [:]
        let containers = job.podSpec["containers"]?.arrayValue ?? []
        func container(for port: UInt32) -> String {
            let owner = containers.first { c in
                (c["ports"]?.arrayValue ?? []).contains { $0["containerPort"] == .number(String(port)) }
            }
            return (owner ?? containers.first)?["name"]?.stringValue ?? "main"
        }
        for ingress in job.item.ingress ?? [] {
            for port in ingress.ports ?? [] {
                addresses[String(port)] = "\(container(for: port))-\(port)-armada-\(job.id)-0.\(job.namespace).svc"
            }
        }
        let nodeIndex = config.nodes.firstIndex { $0.name == run.node } ?? 0
        let podAddress = runtime.podAddress(run.podName)
        for service in job.item.services ?? [] where service.type != .headless {
            for (i, port) in (service.ports ?? []).enumerated() where addresses[String(port)] == nil {
                // On the pod network the pod answers at its own address; the model runtime's nodes
                // have made-up addresses and node ports.
                addresses[String(port)] = podAddress.map { "\($0):\(port)" }
                    ?? "10.0.0.\(nodeIndex + 2):\(30000 + (job.order * 7 + i) % 2768)"
            }
        }
        return addresses
    }

    func runEnded(_ jobId: String, _ runId: String, _ outcome: RunOutcome) {
        guard isCurrent(jobId, runId), let job = jobs[jobId], let run = job.currentRun else { return }
        endRun(of: jobId)
        switch outcome {
        case .succeeded:
            jobs[jobId]?.state = .succeeded
            append(job, [event(.succeeded, job)])
        case .failed(let containers, let podReason, let podMessage):
            podFailed(job, run, containers: containers, podReason: podReason, podMessage: podMessage)
        case .leaseReturned(let reason, let attempted):
            leaseReturned(job, run, reason: reason, attempted: attempted)
        }
    }

    private func podFailed(_ job: SimJob, _ run: SimJob.Run, containers: [ContainerStatus], podReason: String, podMessage: String) {
        let failedContainers = containers.filter { $0.exitCode != 0 }
        let message = !podMessage.isEmpty ? podMessage : failedContainers.map {
            "Container \($0.name) failed with exit code \($0.exitCode) because \($0.reason): \($0.message)\n"
        }.joined()
        let oom = containers.contains { $0.reason == "OOMKilled" }
        let cause: Cause = podReason == "Evicted" ? .evicted : podReason == "DeadlineExceeded" ? .deadlineExceeded : oom ? .oom : .error
        let condition: RetryCondition = podReason == "Evicted" ? .evicted : podReason == "DeadlineExceeded" ? .deadlineExceeded
            : oom ? .oomKilled : .appError
        let (category, subcategory) = config.categorizer.categorize(
            .init(failedContainers: failedContainers, podReason: podReason, podMessage: podMessage))
        let error = RunError(kind: .podError, message: message, podCondition: condition,
                             containers: failedContainers.map { .init(name: $0.name, exitCode: $0.exitCode, terminationMessage: $0.message, reason: $0.reason) },
                             category: category, subcategory: subcategory)
        jobs[job.id]?.countedFailures += 1
        let failures = (jobs[job.id]?.countedFailures ?? 1)
        var raw = event(.failed, job)
        podFields(&raw, job, run, nodeName: true)
        raw.reason = message
        raw.cause = cause
        raw.containerStatuses = containers
        raw.failureCategory = category
        raw.failureSubcategory = subcategory
        switch retryGate.evaluate(gateJob(job), error: error, failures: failures) {
        case .legacy:
            jobs[job.id]?.state = .failed
            append(job, [raw])
        case .decided(_, let decision) where decision.retry:
            if let refusal = applyMutation(job.id, decision.mutation) {
                jobs[job.id]?.state = .failed
                var failed = event(.failed, job)
                failed.reason = "Retry policy: \(refusal)" + (error.finalRunErrorDetail.isEmpty ? "" : "\n\nFinal run error:\n\(error.finalRunErrorDetail)")
                failed.failureCategory = category
                failed.failureSubcategory = subcategory
                append(job, [failed])
                return
            }
            raw.retryable = true
            requeue(job.id)
            append(job, [raw])
        case .decided(_, let decision):
            jobs[job.id]?.state = .failed
            var failed = event(.failed, job)
            failed.reason = decision.terminalReason(for: error)
            failed.failureCategory = category
            failed.failureSubcategory = subcategory
            append(job, [failed])
        }
    }

    /// Applies a granted retry's mutation; returns the refusal reason when the grown job fits no node.
    private func applyMutation(_ id: String, _ mutation: RetryMutation?) -> String? {
        guard var job = jobs[id], let mutation else { return nil }
        if let memory = mutation.resources?.memory {
            job.memoryBump = job.memoryBump.applying(memory).bump
        }
        if mutation.affinity?.avoidSameNode == true {
            job.avoidNodes.formUnion(job.runs.map(\.node))
        }
        jobs[id] = job
        guard fitsSomeNode(job) else {
            return mutation.resources?.memory != nil && eligibleNodes(job).contains(where: { $0.cpu >= job.cpu })
                ? "retry granted, but the job grown by the rule's memory bump fits no node"
                : "retry granted, but no untried node fits the job"
        }
        return nil
    }

    private func leaseReturned(_ job: SimJob, _ run: SimJob.Run, reason: String, attempted: Bool) {
        var returned = event(.leaseReturned, job)
        returned.clusterId = config.executorId
        returned.reason = reason
        returned.kubernetesId = run.kubernetesId
        returned.runAttempted = attempted
        var events = [returned]
        if attempted {
            jobs[job.id]?.attemptedRuns += 1
            jobs[job.id]?.avoidNodes.insert(run.node)
        }
        // An explicit LeaseReturned rule hands the return to the engine (lifecycle §0.2); it never
        // counts towards the budgets.
        let error = RunError(kind: .leaseReturned, message: reason)
        if case .decided(_, let decision) = retryGate.evaluate(gateJob(job), error: error, failures: job.countedFailures + 1) {
            var failed = event(.failed, job)
            failed.created = returned.created
            failed.clusterId = config.executorId
            if decision.retry {
                failed.reason = reason
                failed.retryable = true
                requeue(job.id)
            } else {
                failed.reason = decision.terminalReason(for: error)
                jobs[job.id]?.state = .failed
            }
            append(job, events + [failed])
            return
        }
        let updated = jobs[job.id]!
        let maxAttempts = config.maxRetries + 1
        var terminal: String?
        if job.annotations[RetryGate.failFastAnnotation] == "true" {
            terminal = "Job has fail fast flag set - this job will no longer be retried"
        } else if updated.attemptedRuns >= maxAttempts {
            terminal = "Maximum number of attempts (\(maxAttempts)) reached - this job will no longer be retried"
        } else if !fitsSomeNode(updated) {
            terminal = "Job was attempted \(updated.attemptedRuns) times, and has been tried once on all nodes it can run on - this job will no longer be retried"
        }
        if let terminal {
            jobs[job.id]?.state = .failed
            var failed = event(.failed, job)
            failed.reason = terminal + (reason.isEmpty ? "" : "\n\nFinal run error:\n\(reason)")
            failed.failureCategory = "internal"
            failed.failureSubcategory = "max-runs-exceeded"
            events.append(failed)
        } else {
            requeue(job.id)
        }
        append(job, events)
    }
}
