import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import SwiftProtobuf
import Testing

/// gRPC events become the same `EventMessage` values the REST stream gives, so the watcher and
/// matcher cannot tell the transports apart.
struct EventWireTests {
    @Test func aFailedEventKeepsEveryFieldTheMatcherReads() {
        var failed = Api_JobFailedEvent()
        failed.jobID = "01job"
        failed.jobSetID = "set"
        failed.queue = "q"
        failed.created = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 5)
        failed.clusterID = "executor-1"
        failed.nodeName = "node-1"
        failed.podName = "armada-01job-0-1"
        failed.reason = "Container c failed with exit code 3"
        var status = Api_ContainerStatus()
        status.name = "c"
        status.exitCode = 3
        status.message = "disk full"
        status.reason = "Error"
        status.cause = .oom
        failed.containerStatuses = [status]
        failed.cause = .oom
        failed.failureCategory = "oom"
        failed.failureSubcategory = "memory"
        failed.retryable = true
        var proto = Api_EventMessage()
        proto.failed = failed
        let m = EventWire.message(from: proto)
        #expect(m.type == .failed && m.jobId == "01job" && m.jobSetId == "set" && m.queue == "q")
        #expect(m.created == Timestamp(seconds: 1_700_000_000, nanos: 5))
        #expect(m.retryable && m.failureCategory == "oom" && m.failureSubcategory == "memory" && m.cause == .oom)
        #expect(m.podName == "armada-01job-0-1" && m.nodeName == "node-1" && m.clusterId == "executor-1")
        #expect(m.containerStatuses == [ContainerStatus(name: "c", exitCode: 3, message: "disk full", reason: "Error", cause: .oom)])
        #expect(m.firstNonZeroExitCode == 3 && m.isTerminal == false)
    }

    @Test func theSubmittedJobCarriesItsPodSpecAsKubernetesJSON() throws {
        var spec = K8s_Io_Api_Core_V1_PodSpec()
        var container = K8s_Io_Api_Core_V1_Container()
        container.name = "main"
        var quantity = K8s_Io_Apimachinery_Pkg_Api_Resource_Quantity()
        quantity.string = "25Mi"
        container.resources.requests = ["memory": quantity]
        spec.containers = [container]
        var job = Api_Job()
        job.id = "01job"
        job.namespace = "default"
        job.podSpec = spec
        var submitted = Api_JobSubmittedEvent()
        submitted.jobID = "01job"
        submitted.job = job
        var proto = Api_EventMessage()
        proto.submitted = submitted
        let m = EventWire.message(from: proto)
        let pod = try #require(m.job?.podSpec)
        #expect(pod["containers"]?.arrayValue?.first?["resources"]?["requests"]?["memory"] == .string("25Mi"))
        #expect(m.job?.namespace == "default")
    }

    @Test func everyEventTypeMapsToItsType() {
        let cases: [(Api_EventMessage.OneOf_Events, EventType)] = [
            (.submitted(.init()), .submitted), (.queued(.init()), .queued), (.leased(.init()), .leased),
            (.leaseReturned(.init()), .leaseReturned), (.leaseExpired(.init()), .leaseExpired), (.pending(.init()), .pending),
            (.running(.init()), .running), (.failed(.init()), .failed), (.succeeded(.init()), .succeeded),
            (.reprioritized(.init()), .reprioritized), (.reprioritizing(.init()), .reprioritizing), (.cancelling(.init()), .cancelling),
            (.cancelled(.init()), .cancelled), (.utilisation(.init()), .utilisation), (.ingressInfo(.init()), .ingressInfo),
            (.preempted(.init()), .preempted), (.preempting(.init()), .preempting),
        ]
        #expect(cases.count == EventType.allCases.count)
        for (events, type) in cases {
            var proto = Api_EventMessage()
            proto.events = events
            #expect(EventWire.message(from: proto).type == type)
        }
    }

    /// Simulator (EventMessage → gRPC) then runner (gRPC → EventMessage): nothing is lost.
    @Test func everyTypeRoundTripsWithItsFields() throws {
        for type in EventType.allCases {
            var m = EventMessage(type, jobId: "01job", jobSetId: "set", queue: "q", created: Timestamp(seconds: 1_700_000_000, nanos: 7))
            switch type {
            case .failed:
                (m.reason, m.retryable, m.failureCategory, m.cause) = ("boom", true, "oom", .oom)
                (m.podName, m.nodeName, m.clusterId) = ("armada-01job-0-0", "node-1", "executor-1")
                m.containerStatuses = [ContainerStatus(name: "c", exitCode: 137, message: "m", reason: "OOMKilled", cause: .oom)]
            case .pending, .running, .succeeded:
                (m.podName, m.podNamespace, m.kubernetesId, m.clusterId) = ("armada-01job-0-0", "default", "uid", "executor-1")
                if type != .pending { m.nodeName = "node-1" }
            case .leased: (m.clusterId, m.pool) = ("executor-1", "default")
            case .reprioritized, .reprioritizing: (m.newPriority, m.requestor) = (5, "alice")
            case .cancelled, .cancelling, .preempting: (m.requestor, m.reason) = ("alice", "why")
            case .preempted: (m.runId, m.reason, m.requestor) = ("run-1", "Preempted by alice", "alice")
            case .leaseReturned: (m.reason, m.runAttempted, m.clusterId) = ("returned", true, "executor-1")
            case .utilisation: m.maxResourcesForPeriod = ["memory": "25Mi"]
            case .ingressInfo: m.ingressAddresses = ["8080": "10.0.0.1:8080"]
            case .submitted: m.job = Job(id: "01job", namespace: "default", priority: 1)
            default: break
            }
            let proto = try #require(EventWire.proto(from: m))
            #expect(EventWire.message(from: proto) == m, "\(type)")
        }
    }
}
