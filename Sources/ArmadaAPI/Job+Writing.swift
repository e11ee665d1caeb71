/// `submitted.job` written straight to JSON bytes, with the text of the `Encodable` path
/// (`Job.encode(to:)` through `JSONValueEncoder`): fields in that order, zero values left out,
/// map members in key order (as `EventMessage+Writing`).
extension Job {
    func write(to w: inout JSONWriter) {
        w.beginObject()
        func text(_ key: String, _ value: String) {
            guard !value.isEmpty else { return }
            w.member(key)
            w.string(value)
        }
        func map(_ key: String, _ value: [String: String]) {
            guard !value.isEmpty else { return }
            w.member(key)
            w.beginObject()
            for k in value.keys.sorted() { w.member(k); w.string(value[k]!) }
            w.endObject()
        }
        func values(_ key: String, _ items: [JSONValue]) {
            guard !items.isEmpty else { return }
            w.member(key)
            w.array(items) { w, item in item.write(to: &w) }
        }
        text("id", id)
        text("clientId", clientId)
        text("queue", queue)
        text("jobSetId", jobSetId)
        text("namespace", namespace)
        map("labels", labels)
        map("annotations", annotations)
        text("owner", owner)
        if !queueOwnershipUserGroups.isEmpty {
            w.member("queueOwnershipUserGroups")
            w.array(queueOwnershipUserGroups) { w, group in w.string(group) }
        }
        if priority != 0 { w.member("priority"); w.number(priority) }
        if let podSpec { w.member("podSpec"); podSpec.write(to: &w) }
        values("podSpecs", podSpecs)
        if let schedulingResourceRequirements { w.member("schedulingResourceRequirements"); schedulingResourceRequirements.write(to: &w) }
        if let created {
            w.member("created")
            w.beginObject()
            if created.seconds != 0 { w.member("seconds"); w.number(created.seconds) }
            if created.nanos != 0 { w.member("nanos"); w.number(created.nanos) }
            w.endObject()
        }
        values("k8sIngress", k8sIngress)
        values("k8sService", k8sService)
        w.endObject()
    }
}

extension JSONValue {
    /// The compact text of `jsonText`, written into `w`.
    func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.raw("null")
        case .bool(let b): w.bool(b)
        case .number(let n): w.number(n)
        case .string(let s): w.string(s)
        case .array(let items): w.array(items) { w, item in item.write(to: &w) }
        case .object(let members):
            w.beginObject()
            for m in members { w.member(m.key); m.value.write(to: &w) }
            w.endObject()
        }
    }
}
