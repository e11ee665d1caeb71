import ArmadaAPI
import ArmadaGRPC
import SwiftProtobuf

/// The fields every job event message shares, so one function reads and writes them for all 17.
protocol EventHeader {
    var jobID: String { get set }
    var jobSetID: String { get set }
    var queue: String { get set }
    var created: Google_Protobuf_Timestamp { get set }
    var hasCreated: Bool { get }
    init()
}

extension Api_JobSubmittedEvent: EventHeader {}
extension Api_JobQueuedEvent: EventHeader {}
extension Api_JobLeasedEvent: EventHeader {}
extension Api_JobLeaseReturnedEvent: EventHeader {}
extension Api_JobLeaseExpiredEvent: EventHeader {}
extension Api_JobPendingEvent: EventHeader {}
extension Api_JobRunningEvent: EventHeader {}
extension Api_JobFailedEvent: EventHeader {}
extension Api_JobSucceededEvent: EventHeader {}
extension Api_JobReprioritizedEvent: EventHeader {}
extension Api_JobReprioritizingEvent: EventHeader {}
extension Api_JobCancellingEvent: EventHeader {}
extension Api_JobCancelledEvent: EventHeader {}
extension Api_JobUtilisationEvent: EventHeader {}
extension Api_JobIngressInfoEvent: EventHeader {}
extension Api_JobPreemptedEvent: EventHeader {}
extension Api_JobPreemptingEvent: EventHeader {}

extension EventHeader {
    /// The event with this header's job, job set, queue and creation time.
    func message(_ type: EventType) -> EventMessage {
        EventMessage(type, jobId: jobID, jobSetId: jobSetID, queue: queue,
                     created: hasCreated ? Timestamp(seconds: created.seconds, nanos: created.nanos) : nil)
    }

    /// A message of this type carrying `event`'s header.
    static func header(of event: EventMessage) -> Self {
        var e = Self()
        e.jobID = event.jobId
        e.jobSetID = event.jobSetId
        e.queue = event.queue
        if let t = event.created { e.created = Google_Protobuf_Timestamp(seconds: t.seconds, nanos: t.nanos) }
        return e
    }
}

/// The pod identity that running, failed, succeeded, utilisation and ingress events share.
protocol PodIdentity: EventHeader {
    var clusterID: String { get set }
    var kubernetesID: String { get set }
    var nodeName: String { get set }
    var podNumber: Int32 { get set }
    var podName: String { get set }
    var podNamespace: String { get set }
}

extension Api_JobRunningEvent: PodIdentity {}
extension Api_JobFailedEvent: PodIdentity {}
extension Api_JobSucceededEvent: PodIdentity {}
extension Api_JobUtilisationEvent: PodIdentity {}
extension Api_JobIngressInfoEvent: PodIdentity {}

extension PodIdentity {
    /// The event with this header and pod identity.
    func podMessage(_ type: EventType) -> EventMessage {
        var m = message(type)
        (m.clusterId, m.kubernetesId, m.nodeName, m.podNumber, m.podName, m.podNamespace) =
            (clusterID, kubernetesID, nodeName, podNumber, podName, podNamespace)
        return m
    }

    /// A message of this type carrying `event`'s header and pod identity.
    static func pod(of event: EventMessage) -> Self {
        var e = header(of: event)
        (e.clusterID, e.kubernetesID, e.nodeName, e.podNumber, e.podName, e.podNamespace) =
            (event.clusterId, event.kubernetesId, event.nodeName, event.podNumber, event.podName, event.podNamespace)
        return e
    }
}

/// Who asked, and why: cancelling, cancelled and preempting events.
protocol RequestedEvent: EventHeader {
    var requestor: String { get set }
    var reason: String { get set }
}

extension Api_JobCancellingEvent: RequestedEvent {}
extension Api_JobCancelledEvent: RequestedEvent {}
extension Api_JobPreemptingEvent: RequestedEvent {}

/// The new priority and who asked: reprioritizing and reprioritized events.
protocol PriorityEvent: EventHeader {
    var newPriority: Double { get set }
    var requestor: String { get set }
}

extension Api_JobReprioritizingEvent: PriorityEvent {}
extension Api_JobReprioritizedEvent: PriorityEvent {}

extension RequestedEvent {
    func requestMessage(_ type: EventType) -> EventMessage {
        var m = message(type)
        (m.requestor, m.reason) = (requestor, reason)
        return m
    }

    static func request(of event: EventMessage) -> Self {
        var e = header(of: event)
        (e.requestor, e.reason) = (event.requestor, event.reason)
        return e
    }
}

extension PriorityEvent {
    func priorityMessage(_ type: EventType) -> EventMessage {
        var m = message(type)
        (m.newPriority, m.requestor) = (newPriority, requestor)
        return m
    }

    static func priority(of event: EventMessage) -> Self {
        var e = header(of: event)
        (e.newPriority, e.requestor) = (event.newPriority, event.requestor)
        return e
    }
}
