import ArmadaAPI
import ArmadaClient
import TestSpec

/// `queueConfig` (testcase-format §2.12, with the §7 fixes): queues are created under run-unique
/// names with their deletion registered first; the update keeps the queue's retry policies unless the
/// template names its own; `matches` compares only the fields the template sets.
struct QueuePhases: Sendable {
    let client: any ArmadaAPIClient

    func setup(_ config: QueueConfig, base: String, suffix: String, policy: String?, _ context: inout RunContext) async throws -> [String] {
        var names: [String] = []
        for batch in 0..<Int(config.setup.effectiveNumBatches) {
            if batch > 0, !config.setup.interval.isZero { try await Task.sleep(for: config.setup.interval.duration) }
            var queues: [Queue] = []
            for _ in 0..<Int(config.setup.effectiveBatchSize) {
                var q = config.setup.queueSpec ?? Queue()
                q.name = TestCaseRunner.unique(base, suffix + String(names.count))
                if (q.priorityFactor ?? 0) == 0 { q.priorityFactor = 1 }
                if q.retryPolicies == nil, let policy { q.retryPolicies = [policy] }
                context.register(.deleteQueue(q.name!))
                queues.append(q)
                names.append(q.name!)
            }
            if queues.count == 1 {
                try await client.createQueue(queues[0])
            } else {
                let response = try await client.createQueues(queues)
                if let failure = response.failedQueues.first {
                    throw ArmadaError(.server, endpoint: "POST /v1/batched/create_queues",
                                      message: "queue \(failure.queue?.name ?? "") was not created: \(failure.error)")
                }
            }
            context.log("created \(queues.count) queue(s)")
        }
        if let update = config.update {
            for name in names {
                var q = update
                q.name = name
                if (q.priorityFactor ?? 0) == 0 { q.priorityFactor = 1 }
                if q.retryPolicies == nil { q.retryPolicies = try await client.getQueue(name).retryPolicies }
                try await client.updateQueue(q)
            }
            context.log("updated \(names.count) queue(s)")
        }
        return names
    }

    /// Runs the assertions; the `deleted` check deletes the queues and expects them gone.
    func assert(_ config: QueueConfig, queues: [String], _ context: inout RunContext) async throws -> String? {
        for assertion in config.assertions {
            if let pool = assertion.activeInPool {
                let active = try await client.activeQueues().activeQueuesByPool
                guard let inPool = active[pool] else { return "pool \"\(pool)\" not found in GetActiveQueues response" }
                guard inPool.queues.contains(queues[0]) else { return "queue \"\(queues[0])\" not found in active queues for pool \"\(pool)\"" }
                context.log("asserted queue \(queues[0]) is active in pool \(pool)")
            }
            if assertion.appearsInStream {
                let listed = Set(try await client.getQueues().compactMap(\.name))
                if let missing = queues.first(where: { !listed.contains($0) }) { return "queue \"\(missing)\" not found in GetQueues stream" }
                context.log("asserted \(queues.count) queue(s) appear in GetQueues stream")
            }
            if let template = assertion.matches {
                for name in queues {
                    let got = try await client.getQueue(name)
                    if let difference = Self.difference(template, got) { return "queue \"\(name)\" properties did not match: \(difference)" }
                }
                context.log("asserted \(queues.count) queue(s) properties match expected")
            }
            if assertion.deleted {
                for name in queues {
                    try await client.deleteQueue(name)
                    if let problem = await Self.checkDeleted(client, name) { return problem }
                }
                context.log("asserted \(queues.count) queue(s) were deleted")
            }
        }
        return nil
    }

    static func checkDeleted(_ client: any ArmadaAPIClient, _ name: String) async -> String? {
        do {
            _ = try await client.getQueue(name)
            return "expected queue \(name) to be deleted, but GetQueue succeeded"
        } catch {
            return error.code == .notFound ? nil : "expected NOT_FOUND asserting queue \(name) was deleted, got: \(error)"
        }
    }

    /// The first field the template sets that the queue does not have.
    static func difference(_ want: Queue, _ got: Queue) -> String? {
        if let v = want.priorityFactor, v != got.priorityFactor { return "priorityFactor: want \(v), got \(got.priorityFactor.map { "\($0)" } ?? "none")" }
        if let v = want.labels, v != (got.labels ?? [:]) { return "labels: want \(v), got \(got.labels ?? [:])" }
        if let v = want.cordoned, v != (got.cordoned ?? false) { return "cordoned: want \(v)" }
        if let v = want.retryPolicies, v != (got.retryPolicies ?? []) { return "retryPolicies: want \(v), got \(got.retryPolicies ?? [])" }
        if let v = want.permissions, v != (got.permissions ?? []) { return "permissions differ" }
        if let v = want.resourceLimitsByPriorityClassName, v != (got.resourceLimitsByPriorityClassName ?? [:]) { return "resourceLimitsByPriorityClassName differ" }
        return nil
    }
}
