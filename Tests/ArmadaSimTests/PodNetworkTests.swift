import ArmadaAPI
@testable import ArmadaSim
import CShims
import Foundation
import Testing

/// The pod network's pure parts (addresses, hosts file, the ingress controller's head parsing), a
/// stale bridge's removal, and a runtime without a network.
@Suite struct PodNetworkTests {
    @Test func subnetsParseStrictlyAndSplitIntoBlocks() throws {
        let pool = try #require(IPv4Subnet("10.213.0.0/16"))
        #expect(pool.description == "10.213.0.0/16" && pool.size == 65_536)
        #expect(IPv4Subnet("10.213.7.9/22")?.description == "10.213.4.0/22") // host bits cleared
        for bad in ["10.0.0.256/8", "10.0.0.1/33", "1.2.3/8", " 1.2.3.4/8", "1.2.3.4", "1.2.3.4/-1", "1.2.3.4/8/8", "a.b.c.d/8", "1.2.3.4/٣"] {
            #expect(IPv4Subnet(bad) == nil, "\(bad)")
        }
        #expect(pool.block(0, prefix: 22)?.description == "10.213.0.0/22")
        #expect(pool.block(63, prefix: 22)?.description == "10.213.252.0/22")
        #expect(pool.block(64, prefix: 22) == nil && pool.block(-1, prefix: 22) == nil && pool.block(0, prefix: 31) == nil)
        let block = try #require(pool.block(1, prefix: 22))
        #expect(block.contains(IPv4Subnet.address("10.213.7.255")!) && !block.contains(IPv4Subnet.address("10.213.8.0")!))
        #expect(pool.overlaps(block) && block.overlaps(pool) && !block.overlaps(IPv4Subnet("10.213.8.0/22")!))
    }

    @Test func theHostsFileListsExposedPodsAndTheirServices() {
        let names = HostsFile.names(pod: "armada-abc-0-0", jobId: "abc", namespace: "personal-anonymous",
                                    services: [ServiceConfig(type: .headless, ports: [1000]), ServiceConfig(type: .nodePort, ports: [5000], name: "web"),
                                               ServiceConfig(type: .nodePort, ports: [1], name: "bad name\n10.0.0.1 evil")])
        #expect(names.contains("armada-abc-0-0") && names.contains("armada-abc-0-service-0.personal-anonymous.svc.cluster.local"))
        #expect(names.contains("web.personal-anonymous") && !names.contains { $0.contains(" ") || $0.contains("\n") })
        let text = HostsFile.render([IPv4Subnet.address("10.213.0.3")!: ["b"], IPv4Subnet.address("10.213.0.2")!: ["a", "a.ns"], 0: ["never"]])
        #expect(text.hasSuffix("10.213.0.2\ta a.ns\n10.213.0.3\tb\n"), "\(text)")
        #expect(text.contains("127.0.0.1\tlocalhost") && !text.contains("never"))
    }

    @Test func theIngressControllerReadsTheHostOfAHead() {
        #expect(SimIngress.host(inHead: "GET / HTTP/1.1\r\nUser-Agent: x\r\nHOST: Nc-4000-Armada-X-0.ns.svc:8080\r\n\r\n") == "nc-4000-armada-x-0.ns.svc")
        #expect(SimIngress.host(inHead: "GET / HTTP/1.1\nhost: a.svc\n\n") == "a.svc")
        #expect(SimIngress.host(inHead: "GET / HTTP/1.1\r\nX-Host: a\r\n\r\n") == nil)
        #expect(SimIngress.host(inHead: "GET / HTTP/1.1\r\nHost: \r\n\r\n") == nil)
        #expect(SimIngress.host(inHead: "Host: first-line-is-the-request\r\n\r\n") == nil)
        #expect(HTTPHead.end(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody".utf8)) == 27)
        #expect(HTTPHead.end(Array("GET / HTTP/1.1\nHost: a\n\n".utf8)) == 24)
        #expect(HTTPHead.end(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)) == nil)
    }

    /// Arbitrary bytes as a request head never trap the ingress controller's parsing.
    @Test func ingressHeadParsingSurvivesArbitraryBytes() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("Host: \r\n:[]0123456789abc.-\u{0}é".utf8)
        for _ in 0..<3_000 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            _ = HTTPHead.end(bytes)
            _ = SimIngress.host(inHead: String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func aNetworkLeftByAGoneSimulatorIsRemovedAndItsBlockReused() throws {
        // A pool of its own, far from the default one; a network on its first block owned by a pid that does not run.
        let pool = try #require(IPv4Subnet("10.231.0.0/24")), block = try #require(pool.block(0, prefix: 26))
        let nl = cnet_open()
        try #require(nl >= 0)
        defer { close(nl) }
        var name = "", ifindex: Int32 = 0
        for i in 0..<64 where ifindex == 0 {
            if PodNetwork.owner(ofBridge: "armsim\(i)") != nil || FileManager.default.fileExists(atPath: "/sys/class/net/armsim\(i)") { continue }
            if cnet_network_create(nl, "armsim\(i)", block.base + 1, 26, "armada-sim pid=999999999 runtime=gone", &ifindex) == 0 { name = "armsim\(i)" }
        }
        try #require(ifindex > 0)
        // Only the stale network's block is in this pool: the new network must take it over.
        let directory = NSTemporaryDirectory() + "pod-network-test-\(UUID().uuidString.prefix(6))"
        let created = PodNetwork.create(pool: block, blockPrefix: 26, directory: directory, runtime: "fresh")
        let network = try created.get()
        defer { network.close() }
        #expect(network.subnet == block)
        #expect(PodNetwork.owner(ofBridge: network.bridge).map { $0.pid == getpid() && $0.runtime == "fresh" } == true)
        #expect(name == network.bridge || PodNetwork.owner(ofBridge: name) == nil, "the stale \(name) is gone")
        #expect(try String(contentsOfFile: directory + "/hosts", encoding: .utf8).contains("localhost"))
        let lease = try #require(network.lease(pod: "p"))
        #expect(lease.dotted == "10.231.0.2")
        // The host holds the first address on the network's macvlan.
        #expect(FileManager.default.fileExists(atPath: "/sys/class/net/\(network.bridge)g") && FileManager.default.fileExists(atPath: "/sys/class/net/\(network.bridge)p"))
        #expect(network.close() == ["address 10.231.0.2 still leased"])
        network.release(lease, pod: "p")
        #expect(!FileManager.default.fileExists(atPath: directory))
        // Deleting the lower device took its peer and the host's macvlan with it.
        for suffix in ["", "p", "g"] { #expect(!FileManager.default.fileExists(atPath: "/sys/class/net/\(network.bridge)\(suffix)")) }
    }

    @Test func addressesAreLeasedRoundRobinAndRunOut() throws {
        let block = try #require(IPv4Subnet("10.232.0.0/29")) // 8 addresses: network, bridge, broadcast and 5 pods
        let directory = NSTemporaryDirectory() + "pod-network-test-\(UUID().uuidString.prefix(6))"
        let network = try PodNetwork.create(pool: block, blockPrefix: 29, directory: directory, runtime: "lease").get()
        defer { network.close() }
        let leases = (0..<5).compactMap { network.lease(pod: "p\($0)") }
        #expect(leases.map(\.dotted) == (2...6).map { "10.232.0.\($0)" })
        #expect(network.lease(pod: "full") == nil)
        network.release(leases[1], pod: "p1")
        // The freed address comes back only when its turn comes round again.
        #expect(network.lease(pod: "again")?.dotted == "10.232.0.3")
    }

    @Test func aPodWithoutAFreeAddressWaitsForOne() async throws {
        let block = try #require(IPv4Subnet("10.233.0.0/29"))
        let directory = NSTemporaryDirectory() + "pod-network-test-\(UUID().uuidString.prefix(6))"
        let network = try PodNetwork.create(pool: block, blockPrefix: 29, directory: directory, runtime: "wait").get()
        defer { network.close() }
        let leases = (0..<5).compactMap { network.lease(pod: "p\($0)") }
        let seen = network.changes
        #expect(network.lease(pod: "waiting") == nil)
        async let woken: Void = network.waitForChange(since: seen)
        network.release(leases[0], pod: "p0")
        await woken
        #expect(network.lease(pod: "waiting")?.dotted == "10.233.0.2")
        // A cancelled wait ends at once.
        let cancelled = Task { await network.waitForChange(since: network.changes) }
        cancelled.cancel()
        await cancelled.value
    }
}
