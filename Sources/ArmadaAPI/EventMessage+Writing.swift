/// The simulator's hot path: an event written straight to JSON bytes, with the text the
/// `Encodable` path (`EventMessage+Codable`, the reference) gives through `JSONValueEncoder`:
/// the variant's fields in proto order, zero values left out, enums as numbers. Map members are
/// written in key order (Go's order; the `Encodable` path follows the dictionary's).
extension EventStreamMessage {
    /// `{"result":{"id":…,"message":{…}}}` and a newline: one line of `GetJobSetEvents`.
    public var streamLine: [UInt8] { Self.streamLine(message) { $0.string(id) } }

    /// The line of `message` with the id `<millis>:<seq>:<subIndex>:<last>` written from its numbers
    /// (the simulator's log keeps ids as numbers).
    public static func streamLine(_ message: EventMessage, millis: UInt64, seq: UInt64, subIndex: Int, last: Bool) -> [UInt8] {
        streamLine(message) { w in
            w.raw(#"""#)
            w.number(millis)
            w.raw(":")
            w.number(seq)
            w.raw(":")
            w.number(subIndex)
            w.raw(last ? #":1""# : #":0""#)
        }
    }

    private static func streamLine(_ message: EventMessage, id writeID: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter(capacity: 320)
        w.raw(#"{"result":{"id":"#)
        writeID(&w)
        w.raw(#","message":"#)
        message.write(to: &w)
        w.raw("}}\n")
        return w.bytes
    }
}

extension EventMessage {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member(typeName)
        w.beginObject()
        if !jobId.isEmpty { w.member(Field.jobId.rawValue); w.string(jobId) }
        if !jobSetId.isEmpty { w.member(Field.jobSetId.rawValue); w.string(jobSetId) }
        if !queue.isEmpty { w.member(Field.queue.rawValue); w.string(queue) }
        if let created {
            w.member(Field.created.rawValue)
            w.beginObject()
            if created.seconds != 0 { w.member("seconds"); w.number(created.seconds) }
            if created.nanos != 0 { w.member("nanos"); w.number(created.nanos) }
            w.endObject()
        }
        if let type {
            for field in EventMessage.fields(of: type) { write(field, to: &w) }
        }
        w.endObject()
        w.endObject()
    }

    private func write(_ field: Field, to w: inout JSONWriter) {
        func text(_ value: String) {
            guard !value.isEmpty else { return }
            w.member(field.rawValue)
            w.string(value)
        }
        func map(_ value: [String: String]) {
            guard !value.isEmpty else { return }
            w.member(field.rawValue)
            w.beginObject()
            for key in value.keys.sorted() { w.member(key); w.string(value[key]!) }
            w.endObject()
        }
        switch field {
        case .jobId, .jobSetId, .queue, .created: break
        case .job:
            guard let job else { return }
            w.member(field.rawValue)
            job.write(to: &w)
        case .clusterId: text(clusterId)
        case .pool: text(pool)
        case .reason: text(reason)
        case .kubernetesId: text(kubernetesId)
        case .podName: text(podName)
        case .podNamespace: text(podNamespace)
        case .nodeName: text(nodeName)
        case .failureCategory: text(failureCategory)
        case .failureSubcategory: text(failureSubcategory)
        case .requestor: text(requestor)
        case .runId: text(runId)
        case .preemptingJobId: text(preemptingJobId)
        case .preemptiveRunId: text(preemptiveRunId)
        case .podNumber:
            if podNumber != 0 { w.member(field.rawValue); w.number(podNumber) }
        case .runAttempted:
            if runAttempted { w.member(field.rawValue); w.bool(true) }
        case .retryable:
            if retryable { w.member(field.rawValue); w.bool(true) }
        case .newPriority:
            if newPriority != 0 { w.member(field.rawValue); w.number(newPriority) }
        case .cause:
            if cause != .error { w.member(field.rawValue); w.number(cause.rawValue) }
        case .exitCodes:
            guard !exitCodes.isEmpty else { return }
            w.member(field.rawValue)
            w.beginObject()
            for key in exitCodes.keys.sorted() { w.member(key); w.number(exitCodes[key]!) }
            w.endObject()
        case .containerStatuses:
            guard !containerStatuses.isEmpty else { return }
            w.member(field.rawValue)
            w.array(containerStatuses) { w, c in
                w.beginObject()
                if !c.name.isEmpty { w.member("name"); w.string(c.name) }
                if c.exitCode != 0 { w.member("exitCode"); w.number(c.exitCode) }
                if !c.message.isEmpty { w.member("message"); w.string(c.message) }
                if !c.reason.isEmpty { w.member("reason"); w.string(c.reason) }
                if c.cause != .error { w.member("cause"); w.number(c.cause.rawValue) }
                w.endObject()
            }
        case .ingressAddresses: map(ingressAddresses)
        case .maxResourcesForPeriod: map(maxResourcesForPeriod)
        case .avgResourcesForPeriod: map(avgResourcesForPeriod)
        case .totalCumulativeUsage: map(totalCumulativeUsage)
        }
    }
}
