import CShims
import Foundation
import Synchronization

/// The process runtime's pod network (issue #18): a bridge of the simulator's own holding the
/// first address of a private block (by default a /22 of 10.213.0.0/16), and per pod a network
/// namespace whose `eth0` (a veth pair's end, the other on the bridge) holds one address of the
/// block. Pods reach each other and the host reaches them; nothing routes the block further (no
/// default route in pods, no NAT), so it never leaves the machine.
///
/// Names resolve through `/etc/hosts`, which in every pod is a link to this network's `hosts`
/// file: the pods of jobs that expose ports or services under their pod names, and the names of
/// their services (`armada-<jobId>-0-service-<i>`, a service's own name, each also under
/// `.<namespace>`, `.<namespace>.svc` and `.<namespace>.svc.cluster.local`).
public final class PodNetwork: Sendable {
    /// The bridge: `armsim<block>`, its alias naming the simulator's process (stale ones are removed).
    public let bridge: String
    let bridgeIndex: Int32
    /// The bridge's number (`armsim<number>`), which names its veths.
    let block: Int
    public let subnet: IPv4Subnet
    public var gateway: UInt32 { subnet.base + 1 }
    /// Holds `hosts`; pods see it read-only at `/run/armada-net`.
    let directory: String
    private let state: Mutex<State>

    /// Where pods see `directory`.
    static let podDirectory = "/run/armada-net"
    static let bridgePrefix = "armsim"
    static let aliasPrefix = "armada-sim pid="

    /// A pod's place on the network.
    public struct Lease: Sendable, Hashable {
        public var address: UInt32
        /// The host side of its veth pair.
        public var hostLink: String
        public var dotted: String { IPv4Subnet.dotted(address) }
    }

    private struct State {
        var used: Set<UInt32> = []
        var cursor: UInt32
        var links: UInt32 = 0
        /// Pod name → its address, for pods that are up.
        var pods: [String: UInt32] = [:]
        /// Names each published pod adds to the hosts file.
        var published: [String: [String]] = [:]
        var closed = false
    }

    private init(bridge: String, index: Int32, block: Int, subnet: IPv4Subnet, directory: String) {
        self.bridge = bridge
        self.block = block
        self.bridgeIndex = index
        self.subnet = subnet
        self.directory = directory
        self.state = Mutex(State(cursor: subnet.base + 2))
    }

    /// Why pods cannot have a network here, or nil: creating bridges and namespaces needs
    /// CAP_NET_ADMIN and CAP_SYS_ADMIN (the simulator as root) and a sandbox with namespaces.
    static func unavailable(isolation: HostIsolation) -> String? {
        guard isolation.mountNamespaces else { return "pods have no namespaces on this host" }
        guard getuid() == 0 else { return "a bridge and veth pairs need root (CAP_NET_ADMIN)" }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let effective = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
            .flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) } ?? 0
        if effective & (1 << 12) == 0 { return "this process lacks CAP_NET_ADMIN" }
        if effective & (1 << 21) == 0 { return "this process lacks CAP_SYS_ADMIN" }
        return nil
    }

    /// Creates the network in the first block of `pool` (blocks of `/blockPrefix`) that no route of
    /// the host overlaps (other simulators' bridges included), on the first free bridge name;
    /// bridges of simulators that are gone are removed first.
    static func create(pool: IPv4Subnet, blockPrefix: Int, directory: String, runtime: String) -> Result<PodNetwork, NetworkError> {
        let nl = cnet_open()
        guard nl >= 0 else { return .failure(NetworkError(what: "opening a route netlink socket", errno: -nl)) }
        defer { Glibc.close(nl) }
        var routes = hostRoutes()
        // Bridges of simulators that are gone (their veths went with their namespaces).
        for name in links() where name.hasPrefix(bridgePrefix) {
            guard let owner = owner(ofBridge: name), !RunDirectories.isRunning(owner.pid) else { continue }
            let stale = Int32(if_nametoindex(name))
            if stale > 0, cnet_link_delete(nl, stale) == 0 { routes.removeAll { $0.device == name } }
        }
        var index = 0, lastError: NetworkError?
        blocks: while let block = pool.block(index, prefix: blockPrefix) {
            index += 1
            if routes.contains(where: { $0.route.overlaps(block) }) { continue }
            // The first free name; the bridge's number also names its veths (`av<number>x<n>`, 15 bytes at most).
            for number in 0..<1000 where !FileManager.default.fileExists(atPath: "/sys/class/net/\(bridgePrefix)\(number)") {
                let name = bridgePrefix + String(number)
                var ifindex: Int32 = 0
                let rc = cnet_bridge_create(nl, name, block.base + 1, Int32(block.prefix), aliasPrefix + "\(getpid()) runtime=\(runtime)", &ifindex)
                if rc == EEXIST { continue } // taken meanwhile
                guard rc == 0 else {
                    lastError = NetworkError(what: "creating the bridge \(name) (\(block))", errno: rc)
                    break blocks
                }
                if cfiles_mkdirs(directory, 0o755) != 0 {
                    let error = errno
                    _ = cnet_link_delete(nl, ifindex)
                    return .failure(NetworkError(what: "creating \(directory)", errno: error))
                }
                let network = PodNetwork(bridge: name, index: ifindex, block: number, subnet: block, directory: directory)
                network.writeHosts(HostsFile.render([:]))
                return .success(network)
            }
            lastError = NetworkError(what: "finding a free bridge name (\(bridgePrefix)0…999 are taken)", errno: EEXIST)
            break
        }
        return .failure(lastError ?? NetworkError(what: "finding a free /\(blockPrefix) block in \(pool) (every one is in use or routed)", errno: EADDRINUSE))
    }

    /// The simulator process and runtime in a bridge's alias, if it is one of ours
    /// (`armada-sim pid=<pid> runtime=<instance>`).
    public static func owner(ofBridge bridge: String) -> (pid: Int32, runtime: String)? {
        guard let alias = try? String(contentsOfFile: "/sys/class/net/\(bridge)/ifalias", encoding: .utf8) else { return nil }
        let text = alias.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(aliasPrefix) else { return nil }
        let fields = text.dropFirst(aliasPrefix.count).split(separator: " ")
        guard let pid = fields.first.flatMap({ Int32($0) }) else { return nil }
        let runtime = fields.dropFirst().first { $0.hasPrefix("runtime=") }.map { String($0.dropFirst(8)) } ?? ""
        return (pid, runtime)
    }

    /// The host's network interfaces.
    static func links() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? [] }

    /// The bridges on this host that belong to `runtime` of this process.
    public static func bridges(ofRuntime runtime: String) -> [String] {
        links().filter { name in
            name.hasPrefix(bridgePrefix) && owner(ofBridge: name).map { $0.pid == getpid() && $0.runtime == runtime } == true
        }
    }

    /// The host's IPv4 routes (`/proc/net/route`), the default route left out.
    static func hostRoutes() -> [(device: String, route: IPv4Subnet)] {
        let text = (try? String(contentsOfFile: "/proc/net/route", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard f.count >= 8, let destination = UInt32(f[1], radix: 16), let mask = UInt32(f[7], radix: 16), mask != 0 else { return nil }
            guard let route = IPv4Subnet(base: UInt32(bigEndian: destination), prefix: UInt32(bigEndian: mask).nonzeroBitCount) else { return nil }
            return (String(f[0]), route)
        }
    }

    /// Takes a free address for `pod`; nil when every address of the block is taken.
    func lease(pod: String) -> Lease? {
        state.withLock { s in
            guard !s.closed else { return nil }
            let first = subnet.base + 2, count = UInt32(clamping: subnet.size) - 3 // network, bridge, broadcast
            guard s.used.count < Int(count) else { return nil }
            var address = s.cursor
            while s.used.contains(address) { address = address - first + 1 >= count ? first : address + 1 }
            // The next lease starts after this one, so that a released address rests a while.
            s.cursor = address - first + 1 >= count ? first : address + 1
            s.used.insert(address)
            s.links &+= 1
            return Lease(address: address, hostLink: "av\(block)x\(String(s.links, radix: 16))")
        }
    }

    /// The pod's network is up: it answers `address(ofPod:)`, and its names join the hosts file
    /// when `names` is not empty.
    func up(_ lease: Lease, pod: String, names: [String]) {
        let hosts: String? = state.withLock { s in
            s.pods[pod] = lease.address
            guard !names.isEmpty else { return nil }
            s.published[pod] = names
            return HostsFile.render(s.published.reduce(into: [:]) { $0[s.pods[$1.key] ?? 0, default: []] += $1.value })
        }
        if let hosts { writeHosts(hosts) }
    }

    /// Returns the pod's address; its names leave the hosts file.
    func release(_ lease: Lease, pod: String) {
        let hosts: String? = state.withLock { s in
            s.used.remove(lease.address)
            if s.pods[pod] == lease.address { s.pods[pod] = nil }
            guard s.published.removeValue(forKey: pod) != nil else { return nil }
            return HostsFile.render(s.published.reduce(into: [:]) { $0[s.pods[$1.key] ?? 0, default: []] += $1.value })
        }
        if let hosts { writeHosts(hosts) }
    }

    /// The address of a pod whose network is up (its `status.podIP`).
    public func address(ofPod pod: String) -> String? {
        state.withLock { $0.pods[pod] }.map(IPv4Subnet.dotted)
    }

    /// Pods leased now, for the tests' leftover checks.
    public var leasedCount: Int { state.withLock { $0.used.count } }

    /// Deletes the bridge and the hosts file, once every pod has ended; returns what was left on
    /// the network then (pods' addresses, veths of the bridge's block), which should be nothing.
    @discardableResult
    func close() -> [String] {
        let leased: [UInt32]? = state.withLock { s in
            defer { s.closed = true }
            return s.closed ? nil : Array(s.used)
        }
        guard let leased else { return [] }
        let prefix = "av\(block)x"
        let links = Self.links().filter { $0.hasPrefix(prefix) }
        let nl = cnet_open()
        if nl >= 0 {
            for link in links {
                let index = Int32(if_nametoindex(link))
                if index > 0 { _ = cnet_link_delete(nl, index) }
            }
            _ = cnet_link_delete(nl, bridgeIndex)
            Glibc.close(nl)
        }
        _ = cfiles_remove(directory)
        return leased.map { "address " + IPv4Subnet.dotted($0) } + links.map { "veth " + $0 }
    }

    /// Replaces the hosts file at once (a rename), so a pod never reads half of it.
    private func writeHosts(_ text: String) {
        let temporary = directory + "/.hosts-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o644]) else { return }
        if rename(temporary, directory + "/hosts") != 0 { unlink(temporary) }
    }

    /// A failed network operation: what was done and the errno value.
    public struct NetworkError: Error, CustomStringConvertible {
        var what: String
        var errno: Int32
        public var description: String { what + ": " + String(cString: strerror(errno)) }
    }
}
