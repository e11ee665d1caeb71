import ArmadaAPI
import ArmadaClient
import ArmadaSim
import Foundation
import Testing

/// The pod network on the process runtime (issue #18): a pod's own address on the simulator's
/// bridge, reachable from the host, names in `/etc/hosts`. Part of the serialized `ProcessRuntimeTests`.
extension ProcessRuntimeTests {
    @Test func aPodHasItsOwnAddressOnTheBridge() async throws {
        let out = try await probe("ip -4 -o addr show; ip route; readlink /etc/hosts; head -2 /etc/hosts", image: "alpine")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("lo") && $0.contains("127.0.0.1/8") }, "\(out)")
        let eth0 = try #require(lines.first { $0.contains("eth0") && $0.contains("inet ") }, "\(out)")
        let cidr = try #require(eth0.split(separator: " ").first { $0.contains("/") }.flatMap { IPv4Subnet(String($0)) }, "\(eth0)")
        #expect(ProcessRuntime.defaultPodNetworkPool.overlaps(cidr) && cidr.prefix == 20, "\(cidr)")
        // The block's route, through eth0.
        #expect(lines.contains { $0.hasPrefix("\(cidr) dev eth0") }, "\(out)")
        // Only the pod's own block is routed: no default route, nothing leaves the machine.
        #expect(!out.contains("default"), "\(out)")
        #expect(lines.contains("/run/armada-net/hosts"), "\(out)")
        // The runtime's network went with the simulator that used it.
        #expect(Self.runtime.podNetwork == nil)
    }

    @Test func theRunLogHasThePodsAddress() async throws {
        try await run { client, simulator in
            let item = SimHarness.job(["sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1 > /dev/termination-log; exit 1"])
            let events = try #require(try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [item]).values.first)
            let seen = try #require(events.last?.containerStatuses.first?.message.trimmingCharacters(in: .whitespacesAndNewlines))
            let runs = await simulator.runLog(queue: "e2e-test-queue", jobSetId: events[0].jobSetId)
            #expect(runs.map(\.podIP) == [seen] && IPv4Subnet.address(seen) != nil, "\(runs) \(seen)")
        }
    }

    @Test func withoutANetworkExposedJobsFailFromPendingAndOthersRun() async throws {
        let runtime = ProcessRuntime(podNetworkPool: nil)
        #expect(runtime.capabilities.contains("pod network off (switched off in the configuration)"), "\(runtime.capabilities)")
        try await SimHarness.run(runtime: runtime) { client, _ in
            var exposed = SimHarness.job(["true"])
            exposed.services = [ServiceConfig(type: .headless, ports: [1000])]
            let plain = SimHarness.job(["sh", "-c", "ip -4 -o addr show | grep -v ' lo ' && exit 1; exit 0"])
            let events = try await SimHarness.runToEnd(client, queue: "e2e-test-queue", items: [exposed, plain])
            let failed = try #require(events.values.first { $0.last?.type == .failed })
            #expect(failed.sequence == "submitted queued leased pending failed")
            #expect(failed.last?.reason.contains("the job asks for services, which needs the simulator's pod network, and it is off: "
                + "switched off in the configuration") == true, "\(failed.last?.reason ?? "")")
            // A job that does not ask to be reached runs, with loopback only.
            #expect(events.values.contains { $0.sequence == "submitted queued leased pending running succeeded" })
        }
        #expect(runtime.bridges.isEmpty)
    }
}
