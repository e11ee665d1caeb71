import ArmadaAPI

extension TestCaseDecoder {
    func decodeQueueConfig(_ m: MappingDecoder) -> QueueConfig {
        var config = QueueConfig()
        if let s = m.mapping("setup") {
            config.setup.numBatches = s.uint32("numBatches") ?? 0
            config.setup.batchSize = s.uint32("batchSize") ?? 0
            config.setup.interval = s.duration("interval") ?? .zero
            config.setup.queueSpec = s.mapping("queueSpec").map(decodeQueue)
            if config.setup.queueCount > QueueSetup.maxQueues {
                let key = s.field("batchSize") != nil ? "batchSize" : "numBatches"
                context.error(s.entry(key)?.key ?? s.node, s.path.appending(key),
                              "queueConfig creates \(config.setup.effectiveNumBatches) × \(config.setup.effectiveBatchSize) queues, "
                                  + "more than the \(QueueSetup.maxQueues) one test case may create",
                              hint: "lower numBatches or batchSize")
            }
            s.finish()
        }
        config.update = m.mapping("update").map(decodeQueue)
        config.assertions = m.messages("assertions") { a in
            let assertion = QueueAssertion(activeInPool: a.string("activeInPool"),
                                           appearsInStream: a.bool("appearsInStream") ?? false,
                                           matches: a.mapping("matches").map(decodeQueue),
                                           deleted: a.bool("deleted") ?? false)
            a.finish()
            if assertion.isEmpty {
                context.warning(a.node, a.path, "this assertion checks nothing",
                                hint: "use activeInPool, appearsInStream: true, matches or deleted: true")
            }
            return assertion
        } ?? []
        m.finish()
        return config
    }

    func decodeQueue(_ m: MappingDecoder) -> Queue {
        var q = Queue()
        q.name = m.string("name")
        q.priorityFactor = m.double("priorityFactor")
        q.userOwners = m.stringList("userOwners")
        q.groupOwners = m.stringList("groupOwners")
        q.resourceLimits = m.doubleMap("resourceLimits")
        q.permissions = m.messages("permissions") { p in
            let permissions = Queue.Permissions(
                subjects: p.messages("subjects") { s in
                    let subject = Queue.Subject(kind: s.string("kind"), name: s.string("name"))
                    s.finish()
                    return subject
                },
                verbs: p.stringList("verbs"))
            p.finish()
            return permissions
        }
        if let limits = m.mapping("resourceLimitsByPriorityClassName") {
            var out: [String: PriorityClassResourceLimits] = [:]
            for pair in limits.allPairs {
                guard let pc = pair.key.scalarText, let l = context.mapping(pair.value, limits.path.appending(pc)) else {
                    continue
                }
                var value = PriorityClassResourceLimits(maximumResourceFraction: l.doubleMap("maximumResourceFraction"))
                if let byPool = l.mapping("maximumResourceFractionByPool") {
                    var pools: [String: PriorityClassPoolResourceLimits] = [:]
                    for poolPair in byPool.allPairs {
                        guard let pool = poolPair.key.scalarText,
                              let pm = context.mapping(poolPair.value, byPool.path.appending(pool)) else { continue }
                        pools[pool] = PriorityClassPoolResourceLimits(maximumResourceFraction: pm.doubleMap("maximumResourceFraction"))
                        pm.finish()
                    }
                    value.maximumResourceFractionByPool = pools
                }
                l.finish()
                out[pc] = value
            }
            q.resourceLimitsByPriorityClassName = out
        }
        q.cordoned = m.bool("cordoned")
        q.labelsDeprecated = m.stringList("labelsDeprecated")
        q.labels = m.stringMap("labels")
        q.retryPolicies = m.stringList("retryPolicies")
        q.retryPolicy = m.string("retryPolicy")
        if let factor = q.priorityFactor, factor != 0, factor < 1 {
            context.error(m.field("priorityFactor") ?? m.node, m.path.appending("priorityFactor"),
                          "priorityFactor must be at least 1 (0 means the default, 1), got \(factor)")
        }
        m.finish()
        return q
    }
}
