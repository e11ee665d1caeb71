import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

@Suite struct GangIngressTests {
    func gangMember(_ gang: String, cardinality: Int) -> JobSubmitRequestItem {
        SimHarness.job(["ls"], annotations: ["armadaproject.io/gangId": gang, "armadaproject.io/gangCardinality": String(cardinality)])
    }

    @Test func gangsLeaseTogetherWaitWhenIncompleteAndRejectExtras() async throws {
        try await SimHarness.run { client, simulator in
            let complete = try await SimHarness.runToEnd(client, queue: "e2e-test-queue",
                                                         items: Array(repeating: gangMember("g1", cardinality: 3), count: 3))
            #expect(complete.count == 3)
            for e in complete.values { #expect(e.sequence == "submitted queued leased pending running succeeded") }
            let rejected = try await SimHarness.runToEnd(client, queue: "e2e-test-queue",
                                                         items: Array(repeating: gangMember("g2", cardinality: 2), count: 3))
            for e in rejected.values {
                #expect(e.sequence == "submitted queued failed")
                #expect(e.last?.cause == .rejected && e.last?.failureSubcategory == "job-rejected")
            }
            // Two of three members: they stay queued.
            let waiting = try await client.submitJobs(JobSubmitRequest(queue: "e2e-test-queue", jobSetId: "partial",
                                                                       jobRequestItems: Array(repeating: gangMember("g3", cardinality: 3), count: 2)))
            let states = try await client.jobStatus(waiting.jobResponseItems.map(\.jobId))
            #expect(Set(states.jobStates.values) == [.queued])
            _ = simulator
        }
    }

    @Test func ingressAndServicesReportAddresses() async throws {
        try await SimHarness.run { client, _ in
            var item = SimHarness.job(["sleep", "0.01"], container: [.init("ports", .array([.object([.init("containerPort", .number("4000"))])]))])
            item.ingress = [IngressConfig(type: .ingress, ports: [4000])]
            item.services = [ServiceConfig(type: .nodePort, ports: [5000]), ServiceConfig(type: .headless, ports: [6000])]
            let e = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [item]).values.first)
            #expect(e.sequence == "submitted queued leased pending running ingressInfo succeeded")
            let info = try #require(e.first { $0.type == .ingressInfo })
            #expect(info.ingressAddresses["4000"] == "main-4000-armada-\(info.jobId)-0.default.svc")
            #expect(info.ingressAddresses["5000"]?.hasPrefix("10.0.0.") == true && info.ingressAddresses["6000"] == nil)
            #expect(!info.nodeName.isEmpty && !info.podName.isEmpty)
        }
    }
}
