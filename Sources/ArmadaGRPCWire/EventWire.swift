import ArmadaAPI
import ArmadaGRPC
import SwiftProtobuf

/// Job-set events between the gRPC messages (`api.EventMessage`) and the one event model the
/// watcher, matcher and reports use (`ArmadaAPI.EventMessage`), field by field (no JSON detour:
/// the stream is the hot path).
public enum EventWire {
    public static func message(from proto: Api_EventMessage) -> EventMessage {
        switch proto.events {
        case .submitted(let e)?:
            var m = e.message(.submitted)
            if e.hasJob { m.job = JobWire.job(from: e.job) }
            return m
        case .queued(let e)?: return e.message(.queued)
        case .leased(let e)?:
            var m = e.message(.leased)
            m.clusterId = e.clusterID
            m.pool = e.pool
            return m
        case .leaseReturned(let e)?:
            var m = e.message(.leaseReturned)
            m.clusterId = e.clusterID
            m.reason = e.reason
            m.kubernetesId = e.kubernetesID
            m.podNumber = e.podNumber
            m.runAttempted = e.runAttempted
            return m
        case .leaseExpired(let e)?: return e.message(.leaseExpired)
        case .pending(let e)?:
            var m = e.message(.pending)
            (m.clusterId, m.kubernetesId, m.podNumber, m.podName, m.podNamespace, m.pool) =
                (e.clusterID, e.kubernetesID, e.podNumber, e.podName, e.podNamespace, e.pool)
            return m
        case .running(let e)?:
            var m = e.podMessage(.running)
            m.pool = e.pool
            return m
        case .failed(let e)?:
            var m = e.podMessage(.failed)
            m.reason = e.reason
            m.exitCodes = e.exitCodes
            m.containerStatuses = e.containerStatuses.map {
                ContainerStatus(name: $0.name, exitCode: $0.exitCode, message: $0.message, reason: $0.reason,
                                cause: Cause(rawValue: $0.cause.rawValue) ?? .error)
            }
            m.cause = Cause(rawValue: e.cause.rawValue) ?? .error
            m.failureCategory = e.failureCategory
            m.failureSubcategory = e.failureSubcategory
            m.retryable = e.retryable
            return m
        case .succeeded(let e)?: return e.podMessage(.succeeded)
        case .reprioritized(let e)?: return e.priorityMessage(.reprioritized)
        case .reprioritizing(let e)?: return e.priorityMessage(.reprioritizing)
        case .cancelling(let e)?: return e.requestMessage(.cancelling)
        case .cancelled(let e)?: return e.requestMessage(.cancelled)
        case .utilisation(let e)?:
            var m = e.podMessage(.utilisation)
            m.maxResourcesForPeriod = e.maxResourcesForPeriod.mapValues(\.string)
            m.avgResourcesForPeriod = e.avgResourcesForPeriod.mapValues(\.string)
            m.totalCumulativeUsage = e.totalCumulativeUsage.mapValues(\.string)
            return m
        case .ingressInfo(let e)?:
            var m = e.podMessage(.ingressInfo)
            m.ingressAddresses = Dictionary(uniqueKeysWithValues: e.ingressAddresses.map { (String($0.key), $0.value) })
            return m
        case .preempted(let e)?:
            var m = e.message(.preempted)
            m.clusterId = e.clusterID
            m.runId = e.runID
            m.preemptiveRunId = e.preemptiveRunID
            m.reason = e.reason
            m.preemptingJobId = e.preemptingJobID
            m.requestor = e.requestor
            return m
        case .preempting(let e)?: return e.requestMessage(.preempting)
        case nil:
            return EventMessage(unknown: "unknown")
        }
    }
}
