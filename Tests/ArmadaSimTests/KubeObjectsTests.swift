import ArmadaAPI
@testable import ArmadaSim
import Foundation
import Testing

/// The small Kubernetes API's answers (issue #18): discovery, pod and service lists and objects,
/// label selectors, errors, and ended pods.
@Suite struct KubeObjectsTests {
    func objects() -> KubeObjects {
        let kube = KubeObjects(hostIP: "10.213.0.1")
        for (i, gang) in [(0, "g"), (1, "g"), (2, "other")] {
            kube.add(KubeObjects.Pod(name: "armada-j\(i)-0-0", jobId: "j\(i)", namespace: i == 2 ? "other-ns" : "ns",
                                     labels: ["armada_job_id": "j\(i)", "app": gang], annotations: ["armadaproject.io/gangId": gang],
                                     nodeName: "sim-node-1", podIP: "10.213.0.\(i + 2)", containers: [("main", "alpine")],
                                     started: Date(timeIntervalSince1970: 1_800_000_000),
                                     services: i == 0 ? [ServiceConfig(type: .headless, ports: [1000]), ServiceConfig(type: .nodePort, ports: [80], name: "web")] : []))
        }
        return kube
    }

    func text(_ r: (status: Int, body: JSONValue)) -> String { "\(r.status) \(r.body.jsonText)" }

    @Test func discoveryIsWhatKubectlAsksFor() {
        let kube = objects()
        #expect(text(kube.respond(method: "GET", path: "/api", query: [:])).contains(#""versions":["v1"]"#))
        #expect(text(kube.respond(method: "GET", path: "/apis", query: [:])) == #"200 {"kind":"APIGroupList","apiVersion":"v1","groups":[]}"#)
        let v1 = text(kube.respond(method: "GET", path: "/api/v1", query: [:]))
        #expect(v1.contains(#""name":"pods""#) && v1.contains(#""shortNames":["po"]"#) && v1.contains(#""shortNames":["svc"]"#))
        #expect(text(kube.respond(method: "GET", path: "/version", query: [:])).hasPrefix("200 "))
    }

    @Test func podsAreListedByNamespaceAndSelector() throws {
        let kube = objects()
        let list = kube.respond(method: "GET", path: "/api/v1/namespaces/ns/pods", query: ["limit": "500"])
        #expect(list.status == 200 && list.body["kind"] == .string("PodList"))
        let items = list.body["items"]?.arrayValue ?? []
        #expect(items.map { $0["status"]?["podIP"]?.stringValue } == ["10.213.0.2", "10.213.0.3"])
        #expect(items.first?["metadata"]?["annotations"]?["armadaproject.io/gangId"] == .string("g"))
        #expect(items.first?["status"]?["phase"] == .string("Running") && items.first?["status"]?["hostIP"] == .string("10.213.0.1"))
        #expect(kube.respond(method: "GET", path: "/api/v1/pods", query: [:]).body["items"]?.arrayValue?.count == 3)
        let selected = kube.respond(method: "GET", path: "/api/v1/pods", query: ["labelSelector": "app=g,armada_job_id!=j0"])
        #expect(selected.body["items"]?.arrayValue?.map { $0["metadata"]?["name"]?.stringValue } == ["armada-j1-0-0"])
        #expect(kube.respond(method: "GET", path: "/api/v1/pods", query: ["labelSelector": "app in (g)"]).status == 400)
        let one = kube.respond(method: "GET", path: "/api/v1/namespaces/ns/pods/armada-j1-0-0", query: [:])
        #expect(one.status == 200 && one.body["kind"] == .string("Pod"))
        let missing = kube.respond(method: "GET", path: "/api/v1/namespaces/ns/pods/nope", query: [:])
        #expect(missing.status == 404 && missing.body["message"] == .string(#"pods "nope" not found"#) && missing.body["reason"] == .string("NotFound"))
        #expect(kube.respond(method: "DELETE", path: "/api/v1/namespaces/ns/pods/armada-j1-0-0", query: [:]).status == 405)
        #expect(kube.respond(method: "GET", path: "/api/v1/namespaces/ns/secrets", query: [:]).status == 404)
    }

    @Test func servicesHaveArmadasNamesAndTheExecutorsOlderOnes() {
        let kube = objects()
        let names = kube.respond(method: "GET", path: "/api/v1/namespaces/ns/services", query: [:]).body["items"]?.arrayValue?
            .compactMap { $0["metadata"]?["name"]?.stringValue } ?? []
        #expect(names == ["armada-j0-0-headless", "armada-j0-0-nodeport", "armada-j0-0-service-0", "web"])
        let headless = kube.respond(method: "GET", path: "/api/v1/namespaces/ns/services/armada-j0-0-service-0", query: [:]).body
        #expect(headless["spec"]?["clusterIP"] == .string("None") && headless["spec"]?["selector"]?["armada_job_id"] == .string("j0"))
    }

    @Test func endedPodsStayListedWithTheirPhaseForAWhile() {
        let kube = objects()
        let now = Date()
        kube.finish(namespace: "ns", name: "armada-j0-0-0", succeeded: true, now: now)
        kube.finish(namespace: "ns", name: "armada-j1-0-0", succeeded: false, now: now)
        let phases = kube.respond(method: "GET", path: "/api/v1/namespaces/ns/pods", query: [:]).body["items"]?.arrayValue?.map { $0["status"]?["phase"]?.stringValue }
        #expect(phases == ["Succeeded", "Failed"])
        // An ended pod's services are gone at once.
        #expect(kube.respond(method: "GET", path: "/api/v1/namespaces/ns/services", query: [:]).body["items"]?.arrayValue?.isEmpty == true)
        // Past the retention, the next pod's end removes them.
        kube.finish(namespace: "other-ns", name: "armada-j2-0-0", succeeded: true, now: now.addingTimeInterval(KubeObjects.endedRetention + 1))
        #expect(kube.respond(method: "GET", path: "/api/v1/pods", query: [:]).body["items"]?.arrayValue?.count == 1)
    }
}
