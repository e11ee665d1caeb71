import ArmadaAPI
import ArmadaGRPC

/// Submissions between the REST wire types and `api.JobSubmitRequest`: the runner sends
/// (`proto(from:)`, which fails on a pod spec the message cannot hold), the simulator receives
/// (`request(from:)`).
public enum SubmitWire {
    public static func proto(from r: JobSubmitRequest) throws(PodSpecWire.Problem) -> Api_JobSubmitRequest {
        var p = Api_JobSubmitRequest()
        p.queue = r.queue
        p.jobSetID = r.jobSetId
        p.jobRequestItems = try r.jobRequestItems.map { item throws(PodSpecWire.Problem) in try proto(from: item) }
        return p
    }

    public static func proto(from i: JobSubmitRequestItem) throws(PodSpecWire.Problem) -> Api_JobSubmitRequestItem {
        var p = Api_JobSubmitRequestItem()
        p.priority = i.priority ?? 0
        p.namespace = i.namespace ?? ""
        p.clientID = i.clientId ?? ""
        p.labels = i.labels ?? [:]
        p.annotations = i.annotations ?? [:]
        p.requiredNodeLabels = i.requiredNodeLabels ?? [:]
        if let spec = i.podSpec { p.podSpec = try PodSpecWire.proto(from: spec) }
        p.podSpecs = try (i.podSpecs ?? []).map { spec throws(PodSpecWire.Problem) in try PodSpecWire.proto(from: spec) }
        p.ingress = (i.ingress ?? []).map { c in
            var g = Api_IngressConfig()
            g.type = Api_IngressType(rawValue: c.type?.rawValue ?? 0) ?? .ingress
            (g.ports, g.annotations, g.tlsEnabled) = (c.ports ?? [], c.annotations ?? [:], c.tlsEnabled ?? false)
            (g.certName, g.useClusterIp) = (c.certName ?? "", c.useClusterIP ?? false)
            return g
        }
        p.services = (i.services ?? []).map { c in
            var s = Api_ServiceConfig()
            s.type = Api_ServiceType(rawValue: c.type?.rawValue ?? 0) ?? .nodePort
            (s.ports, s.name) = (c.ports ?? [], c.name ?? "")
            return s
        }
        p.scheduler = i.scheduler ?? ""
        p.externalJobUri = i.externalJobUri ?? ""
        return p
    }

    /// What the simulator receives, in the REST wire type its handlers take (zero values as absent,
    /// as the gateway's JSON leaves them out).
    public static func request(from p: Api_JobSubmitRequest) throws(PodSpecWire.Problem) -> JobSubmitRequest {
        JobSubmitRequest(queue: p.queue, jobSetId: p.jobSetID, jobRequestItems: try p.jobRequestItems.map { i throws(PodSpecWire.Problem) in
            var item = JobSubmitRequestItem()
            item.priority = i.priority == 0 ? nil : i.priority
            item.namespace = i.namespace.isEmpty ? nil : i.namespace
            item.clientId = i.clientID.isEmpty ? nil : i.clientID
            item.labels = i.labels.isEmpty ? nil : i.labels
            item.annotations = i.annotations.isEmpty ? nil : i.annotations
            item.requiredNodeLabels = i.requiredNodeLabels.isEmpty ? nil : i.requiredNodeLabels
            if i.hasPodSpec { item.podSpec = try PodSpecWire.json(from: i.podSpec) }
            if !i.podSpecs.isEmpty { item.podSpecs = try i.podSpecs.map { s throws(PodSpecWire.Problem) in try PodSpecWire.json(from: s) } }
            if !i.ingress.isEmpty {
                item.ingress = i.ingress.map {
                    IngressConfig(type: IngressType(rawValue: $0.type.rawValue), ports: $0.ports, annotations: $0.annotations,
                                  tlsEnabled: $0.tlsEnabled, certName: $0.certName, useClusterIP: $0.useClusterIp)
                }
            }
            if !i.services.isEmpty { item.services = i.services.map { ServiceConfig(type: ServiceType(rawValue: $0.type.rawValue), ports: $0.ports, name: $0.name) } }
            item.scheduler = i.scheduler.isEmpty ? nil : i.scheduler
            item.externalJobUri = i.externalJobUri.isEmpty ? nil : i.externalJobUri
            return item
        })
    }
}
