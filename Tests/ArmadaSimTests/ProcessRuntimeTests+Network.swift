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
        #expect(ProcessRuntime.defaultPodNetworkPool.overlaps(cidr) && cidr.prefix == 22, "\(cidr)")
        // The block's route, through eth0.
        #expect(lines.contains { $0.hasPrefix("\(cidr) dev eth0") }, "\(out)")
        // Only the pod's own block is routed: no default route, nothing leaves the machine.
        #expect(!out.contains("default"), "\(out)")
        #expect(lines.contains("/run/armada-net/hosts"), "\(out)")
        // The runtime's network went with the simulator that used it.
        #expect(Self.runtime.podNetwork == nil)
    }
}
