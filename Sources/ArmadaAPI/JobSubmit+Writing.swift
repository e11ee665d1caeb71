/// A value that can write its gateway JSON (`GatewayJSON.encode`) straight into bytes; nil when it
/// holds something only the generic path handles.
public protocol GatewayWritable: Encodable {
    func gatewayBytes() -> [UInt8]?
}

/// Submit bodies (the client's largest requests: load tests send thousands of jobs) written by
/// `JSONWriter` with `GatewayJSON`'s rules: zero-valued fields left out, map entries kept, pod
/// specs as given, maps in key order. Items with ingress or services take the generic path.
extension JobSubmitRequest: GatewayWritable {
    public func gatewayBytes() -> [UInt8]? {
        guard jobRequestItems.allSatisfy({ ($0.ingress ?? []).isEmpty && ($0.services ?? []).isEmpty }) else { return nil }
        var w = JSONWriter(capacity: 64 + jobRequestItems.count * 400)
        w.beginObject()
        if !queue.isEmpty { w.member("queue"); w.string(queue) }
        if !jobSetId.isEmpty { w.member("jobSetId"); w.string(jobSetId) }
        if !jobRequestItems.isEmpty {
            w.member("jobRequestItems")
            w.array(jobRequestItems) { w, item in item.write(to: &w) }
        }
        w.endObject()
        return w.bytes
    }
}

extension JobSubmitRequestItem {
    func write(to w: inout JSONWriter) {
        func text(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            w.member(key)
            w.string(value)
        }
        func map(_ key: String, _ value: [String: String]?) {
            guard let value, !value.isEmpty else { return }
            w.member(key)
            w.beginObject()
            for k in value.keys.sorted() { w.member(k); w.string(value[k]!) }
            w.endObject()
        }
        w.beginObject()
        if let priority, priority != 0 { w.member("priority"); w.number(priority) }
        text("namespace", namespace)
        text("clientId", clientId)
        map("labels", labels)
        map("annotations", annotations)
        map("requiredNodeLabels", requiredNodeLabels)
        if let podSpec, podSpec != .null { w.member("podSpec"); podSpec.write(to: &w) }
        if let podSpecs { w.member("podSpecs"); w.array(podSpecs) { w, spec in spec.write(to: &w) } }
        text("scheduler", scheduler)
        text("externalJobUri", externalJobUri)
        w.endObject()
    }
}

/// Submit answers (one id per job: 500-job submits are the simulator's largest answers), written by
/// `JSONWriter` as `GatewayJSON`'s generic path writes them: empty items' `error` left out, an
/// empty list left out.
extension JobSubmitResponse: GatewayWritable {
    public func gatewayBytes() -> [UInt8]? {
        var w = JSONWriter(capacity: 32 + jobResponseItems.count * 40)
        w.beginObject()
        if !jobResponseItems.isEmpty {
            w.member("jobResponseItems")
            w.array(jobResponseItems) { w, item in
                w.beginObject()
                if !item.jobId.isEmpty { w.member("jobId"); w.string(item.jobId) }
                if let error = item.error, !error.isEmpty { w.member("error"); w.string(error) }
                w.endObject()
            }
        }
        w.endObject()
        return w.bytes
    }
}
