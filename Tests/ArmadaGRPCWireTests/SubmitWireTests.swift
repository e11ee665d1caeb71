import ArmadaAPI
import ArmadaGRPC
import ArmadaGRPCWire
import Foundation
import Testing
import TestSpec

/// A submission crosses runner → gRPC → simulator unchanged.
struct SubmitWireTests {
    @Test func everyLibraryItemRoundTrips() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = try TestDiscovery(workingDirectory: root.path).resolve("testcases/**/*.yaml")
        var items = 0
        for file in files {
            let test = try #require(TestCaseLoader().load(file: root.path + "/" + file).testCase)
            guard !test.jobs.isEmpty else { continue }
            let request = JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: test.jobs)
            let back = try SubmitWire.request(from: try SubmitWire.proto(from: request))
            // Protobuf has no absent double: an explicit `priority: 0` arrives as none (as through the gateway).
            var expected = request
            for k in expected.jobRequestItems.indices where expected.jobRequestItems[k].priority == 0 { expected.jobRequestItems[k].priority = nil }
            #expect(back == expected, "\(file)")
            items += test.jobs.count
        }
        #expect(items >= 20)
    }

    @Test func ingressServicesAndLabelsCross() throws {
        let item = JobSubmitRequestItem(priority: 2, namespace: "default", clientId: "c-1", labels: ["a": "b"], annotations: ["x": "y"],
                                        requiredNodeLabels: ["zone": "z1"], podSpec: .object([.init("restartPolicy", .string("Never"))]),
                                        ingress: [IngressConfig(type: .ingress, ports: [8080], annotations: ["k": "v"], tlsEnabled: true,
                                                                certName: "cert", useClusterIP: true)],
                                        services: [ServiceConfig(type: .headless, ports: [80], name: "svc")], scheduler: "armada")
        let request = JobSubmitRequest(queue: "q", jobSetId: "s", jobRequestItems: [item])
        #expect(try SubmitWire.request(from: try SubmitWire.proto(from: request)) == request)
    }
}
