import ArmadaAPI
import ArmadaGRPC
import SwiftProtobuf

extension EventWire {
    /// The gRPC form of an event (what the simulator's `api.Event` service sends); nil for a type
    /// this build does not know.
    public static func proto(from m: EventMessage) -> Api_EventMessage? {
        guard let type = m.type else { return nil }
        var p = Api_EventMessage()
        switch type {
        case .submitted:
            var e = Api_JobSubmittedEvent.header(of: m)
            if let job = m.job { e.job = JobWire.proto(from: job) }
            p.submitted = e
        case .queued: p.queued = .header(of: m)
        case .leased:
            var e = Api_JobLeasedEvent.header(of: m)
            e.clusterID = m.clusterId
            e.pool = m.pool
            p.leased = e
        case .leaseReturned:
            var e = Api_JobLeaseReturnedEvent.header(of: m)
            e.clusterID = m.clusterId
            e.reason = m.reason
            e.kubernetesID = m.kubernetesId
            e.podNumber = m.podNumber
            e.runAttempted = m.runAttempted
            p.leaseReturned = e
        case .leaseExpired: p.leaseExpired = .header(of: m)
        case .pending:
            var e = Api_JobPendingEvent.header(of: m)
            (e.clusterID, e.kubernetesID, e.podNumber, e.podName, e.podNamespace, e.pool) =
                (m.clusterId, m.kubernetesId, m.podNumber, m.podName, m.podNamespace, m.pool)
            p.pending = e
        case .running:
            var e = Api_JobRunningEvent.pod(of: m)
            e.pool = m.pool
            p.running = e
        case .failed:
            var e = Api_JobFailedEvent.pod(of: m)
            e.reason = m.reason
            e.exitCodes = m.exitCodes
            e.containerStatuses = m.containerStatuses.map { s in
                var c = Api_ContainerStatus()
                (c.name, c.exitCode, c.message, c.reason) = (s.name, s.exitCode, s.message, s.reason)
                c.cause = Api_Cause(rawValue: s.cause.rawValue) ?? .error
                return c
            }
            e.cause = Api_Cause(rawValue: m.cause.rawValue) ?? .error
            (e.failureCategory, e.failureSubcategory, e.retryable) = (m.failureCategory, m.failureSubcategory, m.retryable)
            p.failed = e
        case .succeeded: p.succeeded = .pod(of: m)
        case .reprioritized: p.reprioritized = .priority(of: m)
        case .reprioritizing: p.reprioritizing = .priority(of: m)
        case .cancelling: p.cancelling = .request(of: m)
        case .cancelled: p.cancelled = .request(of: m)
        case .utilisation:
            var e = Api_JobUtilisationEvent.pod(of: m)
            e.maxResourcesForPeriod = m.maxResourcesForPeriod.mapValues(quantity)
            e.avgResourcesForPeriod = m.avgResourcesForPeriod.mapValues(quantity)
            e.totalCumulativeUsage = m.totalCumulativeUsage.mapValues(quantity)
            p.utilisation = e
        case .ingressInfo:
            var e = Api_JobIngressInfoEvent.pod(of: m)
            e.ingressAddresses = Dictionary(m.ingressAddresses.compactMap { k, v in Int32(k).map { ($0, v) } }, uniquingKeysWith: { a, _ in a })
            p.ingressInfo = e
        case .preempted:
            var e = Api_JobPreemptedEvent.header(of: m)
            (e.clusterID, e.runID, e.preemptiveRunID, e.reason, e.preemptingJobID, e.requestor) =
                (m.clusterId, m.runId, m.preemptiveRunId, m.reason, m.preemptingJobId, m.requestor)
            p.preempted = e
        case .preempting: p.preempting = .request(of: m)
        }
        return p
    }

    static func quantity(_ text: String) -> K8s_Io_Apimachinery_Pkg_Api_Resource_Quantity {
        var q = K8s_Io_Apimachinery_Pkg_Api_Resource_Quantity()
        q.string = text
        return q
    }
}
