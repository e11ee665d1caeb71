import ArmadaAPI
import ArmadaGRPC

/// Queues between the REST wire type and `api.Queue`. Towards the REST type, zero values become
/// absent, as the gateway's JSON leaves them out, so a queue read over either transport compares
/// equal.
public enum QueueWire {
    public static func proto(from q: Queue) -> Api_Queue {
        var p = Api_Queue()
        p.name = q.name ?? ""
        p.priorityFactor = q.priorityFactor ?? 0
        p.userOwners = q.userOwners ?? []
        p.groupOwners = q.groupOwners ?? []
        p.resourceLimits = q.resourceLimits ?? [:]
        p.permissions = (q.permissions ?? []).map { permission in
            var pp = Api_Queue.Permissions()
            pp.subjects = (permission.subjects ?? []).map { s in
                var ps = Api_Queue.Permissions.Subject()
                (ps.kind, ps.name) = (s.kind ?? "", s.name ?? "")
                return ps
            }
            pp.verbs = permission.verbs ?? []
            return pp
        }
        p.resourceLimitsByPriorityClassName = (q.resourceLimitsByPriorityClassName ?? [:]).mapValues { limits in
            var pl = Api_PriorityClassResourceLimits()
            pl.maximumResourceFraction = limits.maximumResourceFraction ?? [:]
            pl.maximumResourceFractionByPool = (limits.maximumResourceFractionByPool ?? [:]).mapValues { pool in
                var pp = Api_PriorityClassPoolResourceLimits()
                pp.maximumResourceFraction = pool.maximumResourceFraction ?? [:]
                return pp
            }
            return pl
        }
        p.cordoned = q.cordoned ?? false
        p.labelsDeprecated = q.labelsDeprecated ?? []
        p.labels = q.labels ?? [:]
        // Field 11 is `repeated string retry_policies` in the merged API and `string retry_policy`
        // in PR #4804's: one element is the same bytes on the wire, so either server reads it.
        p.retryPolicies = q.retryPolicies ?? q.retryPolicy.map { [$0] } ?? []
        return p
    }

    public static func queue(from p: Api_Queue) -> Queue {
        Queue(name: p.name.isEmpty ? nil : p.name,
              priorityFactor: p.priorityFactor == 0 ? nil : p.priorityFactor,
              userOwners: nonEmpty(p.userOwners), groupOwners: nonEmpty(p.groupOwners),
              resourceLimits: p.resourceLimits.isEmpty ? nil : p.resourceLimits,
              permissions: nonEmpty(p.permissions.map { pp in
                  Queue.Permissions(subjects: nonEmpty(pp.subjects.map { Queue.Subject(kind: $0.kind.isEmpty ? nil : $0.kind,
                                                                                     name: $0.name.isEmpty ? nil : $0.name) }),
                                    verbs: nonEmpty(pp.verbs))
              }),
              resourceLimitsByPriorityClassName: p.resourceLimitsByPriorityClassName.isEmpty ? nil
                  : p.resourceLimitsByPriorityClassName.mapValues { pl in
                      PriorityClassResourceLimits(
                          maximumResourceFraction: pl.maximumResourceFraction.isEmpty ? nil : pl.maximumResourceFraction,
                          maximumResourceFractionByPool: pl.maximumResourceFractionByPool.isEmpty ? nil
                              : pl.maximumResourceFractionByPool.mapValues {
                                  PriorityClassPoolResourceLimits(maximumResourceFraction: $0.maximumResourceFraction.isEmpty ? nil
                                                                      : $0.maximumResourceFraction)
                              })
                  },
              cordoned: p.cordoned ? true : nil, labelsDeprecated: nonEmpty(p.labelsDeprecated),
              labels: p.labels.isEmpty ? nil : p.labels, retryPolicies: nonEmpty(p.retryPolicies))
    }

    static func nonEmpty<T>(_ list: [T]) -> [T]? { list.isEmpty ? nil : list }

    /// A batch create/update answer: the queues that failed, with the server's error text.
    public static func response(from p: Api_BatchQueueCreateResponse) -> BatchQueueResponse {
        BatchQueueResponse(failedQueues: p.failedQueues.map { .init(queue: $0.hasQueue ? queue(from: $0.queue) : nil, error: $0.error) })
    }

    public static func response(from p: Api_BatchQueueUpdateResponse) -> BatchQueueResponse {
        BatchQueueResponse(failedQueues: p.failedQueues.map { .init(queue: $0.hasQueue ? queue(from: $0.queue) : nil, error: $0.error) })
    }

    public static func proto(from r: BatchQueueResponse) -> Api_BatchQueueCreateResponse {
        var p = Api_BatchQueueCreateResponse()
        p.failedQueues = failures(r) { queue, error in
            var item = Api_QueueCreateResponse()
            if let queue { item.queue = queue }
            item.error = error
            return item
        }
        return p
    }

    public static func proto(update r: BatchQueueResponse) -> Api_BatchQueueUpdateResponse {
        var p = Api_BatchQueueUpdateResponse()
        p.failedQueues = failures(r) { queue, error in
            var item = Api_QueueUpdateResponse()
            if let queue { item.queue = queue }
            item.error = error
            return item
        }
        return p
    }

    /// The failed queues of a batch answer, each made into the create or the update item.
    static func failures<Item>(_ r: BatchQueueResponse, _ item: (Api_Queue?, String) -> Item) -> [Item] {
        r.failedQueues.map { item($0.queue.map(proto(from:)), $0.error) }
    }
}
