import ArmadaAPI
import RetryEngine

extension Simulator {
    /// Create or update (both upserts). `priorityFactor` ≥ 1; policies must exist; owners become
    /// a permissions entry and are not returned.
    public func putQueue(_ queue: Queue, isCreate: Bool, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        guard config.auth.has(principal, "create_queue") else {
            throw SimError(.permissionDenied, "user \(principal.name) does not have permission create_queue")
        }
        guard let name = queue.name, !name.isEmpty else { throw .invalid("error validating queue: queue name must not be empty") }
        guard (queue.priorityFactor ?? 0) >= 1 else {
            throw .invalid("error validating queue: failed to map priority factor. priority factor cannot be lower than 1.0")
        }
        for p in queue.permissions ?? [] {
            for s in p.subjects ?? [] where s.kind != "User" && s.kind != "Group" {
                throw .invalid("error validating queue: invalid subject kind \(s.kind ?? "")")
            }
        }
        for (k, v) in queue.labels ?? [:] where k.isEmpty || v.isEmpty {
            throw .invalid("error validating queue: queue labels must not have an empty key or value")
        }
        let missing = (queue.retryPolicies ?? []).filter { policies[$0] == nil }
        if !missing.isEmpty {
            throw .invalid("retry policies do not exist: " + missing.map { "\"\($0)\"" }.joined(separator: ", "))
        }
        var stored = queue
        var permissions = queue.permissions ?? []
        var owners = queue.userOwners ?? []
        if isCreate, owners.isEmpty { owners = [principal.name] }
        let subjects = owners.map { Queue.Subject(kind: "User", name: $0) } + (queue.groupOwners ?? []).map { Queue.Subject(kind: "Group", name: $0) }
        if !subjects.isEmpty {
            permissions.append(Queue.Permissions(subjects: subjects, verbs: ["submit", "cancel", "preempt", "reprioritize", "watch"]))
        }
        stored.userOwners = nil
        stored.groupOwners = nil
        stored.permissions = permissions.isEmpty ? nil : permissions
        stored.resourceLimits = nil
        stored.labelsDeprecated = nil
        if queues[name] == nil, faults.hideNewQueuesFor > 0 {
            queueVisibleAt[name] = ContinuousClock.now + Duration.clamped(seconds: faults.hideNewQueuesFor)
        }
        queues[name] = stored
    }

    /// The batched create/update: every queue is tried; the answer lists the ones that failed, with
    /// the error text the real server gives (`rpc error: code = … desc = …`).
    public func putQueues(_ list: [Queue], isCreate: Bool, as principal: SimAuth.Principal = .anonymous) -> BatchQueueResponse {
        var failures: [BatchQueueResponse.Failure] = []
        for queue in list {
            do {
                try putQueue(queue, isCreate: isCreate, as: principal)
            } catch {
                failures.append(.init(queue: queue, error: "rpc error: code = \(error.code.name) desc = \(error.message)"))
            }
        }
        return BatchQueueResponse(failedQueues: failures)
    }

    public func getQueue(_ name: String) throws(SimError) -> Queue {
        guard let q = queues[name] else { throw SimError(.notFound, "could not find queue \"\(name)\"") }
        return q
    }

    public func deleteQueue(_ name: String, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        guard config.auth.has(principal, "delete_queue") else {
            throw SimError(.permissionDenied, "user \(principal.name) does not have permission delete_queue")
        }
        queues[name] = nil
        queueVisibleAt[name] = nil
    }

    public func allQueues(limit: Int) -> [Queue] {
        let sorted = queues.keys.sorted().compactMap { queues[$0] }
        return limit > 0 ? Array(sorted.prefix(limit)) : sorted
    }

    // MARK: Retry policies

    /// Create is an upsert; the rules are the project's (PR #4804 matchers, RFC 1123 names).
    public func putRetryPolicy(_ policy: RetryPolicy, requireExisting: Bool, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        let permission = requireExisting ? "update_retry_policy" : "create_retry_policy"
        guard config.auth.has(principal, permission) else {
            throw SimError(.permissionDenied, "user \(principal.name) does not have permission \(permission)")
        }
        let problems = RetryPolicyValidator.validate(policy).filter { $0.severity == .error }
        if let first = problems.first { throw .invalid("invalid retry policy: \(first.description)") }
        if requireExisting, policies[policy.name] == nil { throw SimError(.notFound, "retry policy \(policy.name) not found") }
        policies[policy.name] = policy
    }

    public func getRetryPolicy(_ name: String) throws(SimError) -> RetryPolicy {
        guard !name.isEmpty else { throw .invalid("retry policy name is required") }
        guard let p = policies[name] else { throw SimError(.notFound, "retry policy \(name) not found") }
        return p
    }

    /// Always succeeds and detaches the policy from every queue.
    public func deleteRetryPolicy(_ name: String, as principal: SimAuth.Principal = .anonymous) throws(SimError) {
        guard config.auth.has(principal, "delete_retry_policy") else {
            throw SimError(.permissionDenied, "user \(principal.name) does not have permission delete_retry_policy")
        }
        guard !name.isEmpty else { throw .invalid("retry policy name is required") }
        policies[name] = nil
        for (qName, var q) in queues where (q.retryPolicies ?? []).contains(name) || q.retryPolicy == name {
            q.retryPolicies = q.retryPolicies?.filter { $0 != name }
            if q.retryPolicies?.isEmpty == true { q.retryPolicies = nil }
            if q.retryPolicy == name { q.retryPolicy = nil }
            queues[qName] = q
        }
    }

    public func allRetryPolicies() -> [RetryPolicy] { policies.keys.sorted().compactMap { policies[$0] } }
}
