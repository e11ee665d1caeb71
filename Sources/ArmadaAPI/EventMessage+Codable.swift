extension EventMessage: Codable {
    /// `{"<variant>": {…}}`: the first key names the variant (a well-formed message has one).
    public init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: AnyCodingKey.self)
        guard let key = outer.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "event message names no variant"))
        }
        if let type = EventType(name: key.stringValue) {
            self.init(type)
        } else {
            self.init(unknown: key.stringValue)
        }
        guard let c = try? outer.nestedContainer(keyedBy: Field.self, forKey: key) else { return }
        jobId = c.lenientString(.jobId)
        jobSetId = c.lenientString(.jobSetId)
        queue = c.lenientString(.queue)
        created = c.tolerant(Timestamp.self, .created)
        clusterId = c.lenientString(.clusterId)
        kubernetesId = c.lenientString(.kubernetesId)
        nodeName = c.lenientString(.nodeName)
        podNumber = c.lenientInteger(.podNumber)
        podName = c.lenientString(.podName)
        podNamespace = c.lenientString(.podNamespace)
        pool = c.lenientString(.pool)
        reason = c.lenientString(.reason)
        exitCodes = c.tolerant([String: Int32].self, .exitCodes) ?? [:]
        containerStatuses = c.tolerant([ContainerStatus].self, .containerStatuses) ?? []
        cause = c.tolerant(Cause.self, .cause) ?? .error
        failureCategory = c.lenientString(.failureCategory)
        failureSubcategory = c.lenientString(.failureSubcategory)
        retryable = c.lenientBool(.retryable)
        runAttempted = c.lenientBool(.runAttempted)
        newPriority = c.lenientDouble(.newPriority)
        requestor = c.lenientString(.requestor)
        runId = c.lenientString(.runId)
        preemptingJobId = c.lenientString(.preemptingJobId)
        preemptiveRunId = c.lenientString(.preemptiveRunId)
        maxResourcesForPeriod = c.lenientStringMap(.maxResourcesForPeriod)
        avgResourcesForPeriod = c.lenientStringMap(.avgResourcesForPeriod)
        totalCumulativeUsage = c.lenientStringMap(.totalCumulativeUsage)
        ingressAddresses = c.lenientStringMap(.ingressAddresses)
        job = c.tolerant(Job.self, .job)
    }

    public func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: AnyCodingKey.self)
        var c = outer.nestedContainer(keyedBy: Field.self, forKey: AnyCodingKey(typeName))
        try c.encodeNonZero(jobId, forKey: .jobId)
        try c.encodeNonZero(jobSetId, forKey: .jobSetId)
        try c.encodeNonZero(queue, forKey: .queue)
        try c.encodeIfPresent(created, forKey: .created)
        guard let type else { return }
        for field in EventMessage.fields(of: type) {
            switch field {
            case .jobId, .jobSetId, .queue, .created: break
            case .job: try c.encodeIfPresent(job, forKey: .job)
            case .clusterId: try c.encodeNonZero(clusterId, forKey: .clusterId)
            case .pool: try c.encodeNonZero(pool, forKey: .pool)
            case .reason: try c.encodeNonZero(reason, forKey: .reason)
            case .kubernetesId: try c.encodeNonZero(kubernetesId, forKey: .kubernetesId)
            case .podNumber: try c.encodeNonZero(podNumber, forKey: .podNumber)
            case .runAttempted: try c.encodeNonZero(runAttempted, forKey: .runAttempted)
            case .podName: try c.encodeNonZero(podName, forKey: .podName)
            case .podNamespace: try c.encodeNonZero(podNamespace, forKey: .podNamespace)
            case .nodeName: try c.encodeNonZero(nodeName, forKey: .nodeName)
            case .exitCodes: try c.encodeNonZero(exitCodes, forKey: .exitCodes)
            case .containerStatuses: try c.encodeNonZero(containerStatuses, forKey: .containerStatuses)
            case .cause: try c.encodeNonZero(cause, forKey: .cause)
            case .failureCategory: try c.encodeNonZero(failureCategory, forKey: .failureCategory)
            case .failureSubcategory: try c.encodeNonZero(failureSubcategory, forKey: .failureSubcategory)
            case .retryable: try c.encodeNonZero(retryable, forKey: .retryable)
            case .newPriority: try c.encodeNonZero(newPriority, forKey: .newPriority)
            case .requestor: try c.encodeNonZero(requestor, forKey: .requestor)
            case .runId: try c.encodeNonZero(runId, forKey: .runId)
            case .preemptingJobId: try c.encodeNonZero(preemptingJobId, forKey: .preemptingJobId)
            case .preemptiveRunId: try c.encodeNonZero(preemptiveRunId, forKey: .preemptiveRunId)
            case .ingressAddresses: try c.encodeNonZero(ingressAddresses, forKey: .ingressAddresses)
            case .maxResourcesForPeriod: try c.encodeNonZero(maxResourcesForPeriod, forKey: .maxResourcesForPeriod)
            case .avgResourcesForPeriod: try c.encodeNonZero(avgResourcesForPeriod, forKey: .avgResourcesForPeriod)
            case .totalCumulativeUsage: try c.encodeNonZero(totalCumulativeUsage, forKey: .totalCumulativeUsage)
            }
        }
    }
}
