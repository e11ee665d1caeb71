import ArmadaAPI
import Foundation

extension Simulator {
    /// One request item with what submit needs from it, worked out before the actor is entered.
    struct PreparedItem: Sendable {
        var item: JobSubmitRequestItem
        var podSpec: JSONValue
        var spec: PodSpecView
        /// `schedulingResourceRequirements` of the `submitted` event's job.
        var requirements: JSONValue
        /// The API server's objections to the pod spec, reported when the pod is created.
        var podProblems: [String]
    }

    /// `SubmitJobs` (REST doc §3.2): validates every item first (any failure rejects the whole
    /// request), de-duplicates by client id per queue, and appends `submitted` + `queued`. The
    /// items are validated and their pod specs read by the caller's task (they depend on the
    /// config alone); only the state change runs on the actor.
    public nonisolated func submit(_ request: JobSubmitRequest, as principal: SimAuth.Principal = .anonymous) async throws(SimError)
        -> JobSubmitResponse {
        var items: [PreparedItem] = []
        var invalid: SimError?
        do {
            items.reserveCapacity(request.jobRequestItems.count)
            for (i, item) in request.jobRequestItems.enumerated() { items.append(try prepare(item, index: i)) }
        } catch {
            invalid = error
        }
        return try await submit(request, items, invalid: invalid, as: principal)
    }

    private func submit(_ request: JobSubmitRequest, _ items: [PreparedItem], invalid: SimError?,
                        as principal: SimAuth.Principal) throws(SimError) -> JobSubmitResponse {
        defer { wakeScheduler() }
        guard !request.queue.isEmpty else { throw .invalid("queue is a required field") }
        guard !request.jobSetId.isEmpty else { throw .invalid("job set id is a required field") }
        guard isVisible(request.queue) else { throw .queueMissing(request.queue) }
        guard config.auth.may(principal, "submit_any_jobs", verb: "submit", on: queues[request.queue]) else {
            throw SimError(.permissionDenied, "user \(principal.name) does not have permission to submit to queue \(request.queue)")
        }
        if let invalid { throw invalid }
        var response: [JobSubmitResponse.Item] = []
        response.reserveCapacity(items.count)
        jobs.reserveCapacity(jobs.count + items.count)
        records.reserveCapacity(records.count + items.count)
        let key = EventLog.Key(queue: request.queue, jobSet: request.jobSetId)
        for prepared in items {
            let item = prepared.item
            let dedupKey = request.queue + "\u{0}" + (item.clientId ?? "")
            if let clientId = item.clientId, !clientId.isEmpty, let original = clientIds[dedupKey] {
                response.append(.init(jobId: original)) // duplicate: the original id, no events
                continue
            }
            let id = ids.next()
            submitCounter += 1
            let base = SimJobBase(id: id, queue: request.queue, jobSet: request.jobSetId, order: submitCounter, owner: principal.name,
                                  prepared: prepared)
            var job = SimJob(base: base, priority: item.priority ?? 0)
            job.state = .queued
            jobs[id] = job
            jobSets[key, default: []].append(id)
            queuedOrder.append(id)
            if job.priority != 0 { queueNeedsSort = true }
            var submitted = event(.submitted, job)
            submitted.job = Job(id: id, clientId: item.clientId ?? "", queue: job.queue, jobSetId: job.jobSet,
                                namespace: job.namespace, labels: job.labels, annotations: job.annotations, owner: principal.name,
                                queueOwnershipUserGroups: ["everyone"], priority: job.priority,
                                podSpec: prepared.podSpec, schedulingResourceRequirements: prepared.requirements, created: submitted.created)
            var queued = event(.queued, job)
            queued.created = submitted.created
            append(job, [submitted, queued])
            if let clientId = item.clientId, !clientId.isEmpty { clientIds[dedupKey] = id }
            response.append(.init(jobId: id))
        }
        return JobSubmitResponse(jobResponseItems: response)
    }

    /// The item validated, with its pod spec read.
    private nonisolated func prepare(_ item: JobSubmitRequestItem, index: Int) throws(SimError) -> PreparedItem {
        let spec = try validate(item, index: index)
        let podSpec = item.allPodSpecs[0]
        return PreparedItem(item: item, podSpec: podSpec, spec: spec, requirements: Self.requirements(cpu: spec.cpu, memory: spec.memory),
                            podProblems: spec.validationErrors())
    }

    static func requirements(cpu: Double, memory: Double) -> JSONValue {
        let values: [JSONValue.Member] = [
            .init("cpu", .string(quantityText(cpu, cpu: true))),
            .init("memory", .string(quantityText(memory, cpu: false))),
        ]
        return .object([.init("requests", .object(values)), .init("limits", .object(values))])
    }

    static func quantityText(_ value: Double, cpu: Bool) -> String {
        // Submit validation keeps quantities below 2^63; the formatting never traps all the same.
        guard value.isFinite, abs(value) < 9.2e18 else { return JSONValue.numberText(value) }
        if cpu { return value == value.rounded() ? String(Int64(value)) : "\(Int64((value * 1000).rounded()))m" }
        let mi = 1_048_576.0
        if value.truncatingRemainder(dividingBy: 1_073_741_824) == 0, value > 0 { return "\(Int64(value / 1_073_741_824))Gi" }
        if value.truncatingRemainder(dividingBy: mi) == 0 { return "\(Int64(value / mi))Mi" }
        return String(Int64(value))
    }

    /// Kubernetes quantities are int64 with a scale: a value of 2^63 or more (or one that does not
    /// parse as a number) cannot be one.
    static func quantityProblem(_ resources: JSONValue?, container: String) -> String? {
        for kind in ["requests", "limits"] {
            guard case .object(let members)? = resources?[kind] else { continue }
            for member in members {
                let text: String
                switch member.value {
                case .string(let s): text = s
                case .number(let n): text = n
                default: return "container \(container): \(kind).\(member.key) must be a quantity such as 100m or 1Gi"
                }
                guard let value = ResourceQuantity(text)?.value, value.isFinite, abs(value) < 9.2e18 else {
                    return "container \(container): \(kind).\(member.key) \"\(text)\" is not a valid quantity (at most 2^63-1)"
                }
            }
        }
        return nil
    }

    /// The server's submit-time validation, with its messages; the item's pod spec read.
    nonisolated func validate(_ item: JobSubmitRequestItem, index: Int) throws(SimError) -> PodSpecView {
        guard !(item.namespace ?? "").isEmpty else { throw .invalid("namespace is a required field") }
        let specs = item.allPodSpecs
        guard !specs.isEmpty else { throw .invalid("Job must contain at least one PodSpec") }
        guard specs.count == 1 else { throw .invalid("Jobs with multiple pods are not supported") }
        let spec = PodSpecView(specs[0])
        guard !spec.containers.isEmpty else { throw .invalid("Job must contain at least one container") }
        for c in spec.containers {
            let raw = specs[0]["containers"]?.arrayValue?.first { $0["name"]?.stringValue == c.name }
            let requests = raw?["resources"]?["requests"], limits = raw?["resources"]?["limits"]
            guard requests != nil || limits != nil else { throw .invalid("container \(c.name) has no resources specified") }
            if let problem = Self.quantityProblem(raw?["resources"], container: c.name) { throw .invalid(problem) }
            if let requests, let limits, requests != limits {
                throw .invalid("container \(c.name) defines different resources for requests and limits")
            }
        }
        if !spec.priorityClassName.isEmpty, config.priorityClasses[spec.priorityClassName] == nil {
            throw .invalid("priority class \(spec.priorityClassName) is not supported")
        }
        return spec
    }
}
