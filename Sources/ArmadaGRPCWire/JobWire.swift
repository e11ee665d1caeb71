import ArmadaAPI
import ArmadaGRPC
import Foundation
import SwiftProtobuf

/// A job (the `submitted` event's `job`) between `api.Job` and `ArmadaAPI.Job`. Pod specs and
/// resource requirements go through `K8sJSON`; a spec that has no JSON form is left out rather
/// than failing the event (the runner never reads it).
public enum JobWire {
    public static func job(from p: Api_Job) -> Job {
        Job(id: p.id, clientId: p.clientID, queue: p.queue, jobSetId: p.jobSetID, namespace: p.namespace, labels: p.labels,
            annotations: p.annotations, owner: p.owner, queueOwnershipUserGroups: p.queueOwnershipUserGroups, priority: p.priority,
            podSpec: p.hasPodSpec ? try? PodSpecWire.json(from: p.podSpec) : nil,
            podSpecs: p.podSpecs.compactMap { try? PodSpecWire.json(from: $0) },
            schedulingResourceRequirements: p.hasSchedulingResourceRequirements ? resources(p.schedulingResourceRequirements) : nil,
            created: p.hasCreated ? Timestamp(seconds: p.created.seconds, nanos: p.created.nanos) : nil)
    }

    static func resources(_ r: K8s_Io_Api_Core_V1_ResourceRequirements) -> JSONValue? {
        guard let data = try? r.jsonUTF8Data(), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return nil }
        return K8sJSON.fromProto(value, type: "k8s.io.api.core.v1.ResourceRequirements")
    }
}

extension JobWire {
    /// The gRPC form of a job; pod specs that do not fit the message are left out.
    public static func proto(from j: Job) -> Api_Job {
        var p = Api_Job()
        (p.id, p.clientID, p.queue, p.jobSetID, p.namespace) = (j.id, j.clientId, j.queue, j.jobSetId, j.namespace)
        (p.labels, p.annotations, p.owner, p.queueOwnershipUserGroups, p.priority) =
            (j.labels, j.annotations, j.owner, j.queueOwnershipUserGroups, j.priority)
        if let spec = j.podSpec, let proto = try? PodSpecWire.proto(from: spec) { p.podSpec = proto }
        p.podSpecs = j.podSpecs.compactMap { try? PodSpecWire.proto(from: $0) }
        if let r = j.schedulingResourceRequirements,
           let proto = try? K8s_Io_Api_Core_V1_ResourceRequirements(jsonString: K8sJSON.toProto(r, type: "k8s.io.api.core.v1.ResourceRequirements").jsonText) {
            p.schedulingResourceRequirements = proto
        }
        if let t = j.created { p.created = Google_Protobuf_Timestamp(seconds: t.seconds, nanos: t.nanos) }
        return p
    }
}
