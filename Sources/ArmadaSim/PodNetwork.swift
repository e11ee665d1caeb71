import CShims
import Foundation
import Synchronization

/// The process runtime's pod network (issue #18): a private block (by default a /20 of
/// 10.213.0.0/16) on a lower device of the simulator's own (`armsim<n>`, a veth pair with both
/// ends on the host), the host holding its first address on a macvlan (`armsim<n>g`), and per pod
/// a network namespace whose `eth0` is a macvlan of the same device holding one address (see
/// `CNet.h`). Pods reach each other and the host reaches them; nothing routes the block further
/// (no default route in pods, no NAT, no forwarding), so it never leaves the machine.
///
/// Names resolve through `/etc/hosts`, which in every pod is a link to this network's `hosts`
/// file: the pods of jobs that expose ports or services under their pod names, and the names of
/// their services (`armada-<jobId>-0-service-<i>`, a service's own name, each also under
/// `.<namespace>`, `.<namespace>.svc` and `.<namespace>.svc.cluster.local`).
public final class PodNetwork: Sendable {
    /// The lower device, `armsim<n>`: its alias names the simulator's process (stale ones are
    /// removed), and deleting it takes the host's and the pods' macvlans with it.
    public let bridge: String
    let lowerIndex: Int32
    public let subnet: IPv4Subnet
    public var gateway: UInt32 { subnet.base + 1 }
    /// Holds `hosts` and `serviceaccount/<namespace>/`; pods see it read-only at `/run/armada-net`.
    let directory: String
    /// The small Kubernetes API pods reach at the host's address, port `kubePort` (nil: it could not start, `kubeProblem`).
    public let kube: KubeObjects
    let kubeServer: KubeAPIServer?
    public let kubeProblem: String?
    static let kubePort = 443
    private let state: Mutex<State>

    /// Where pods see `directory`.
    static let podDirectory = "/run/armada-net"
    static let bridgePrefix = "armsim"
    static let aliasPrefix = "armada-sim pid="

    /// A pod's place on the network.
    public struct Lease: Sendable, Hashable {
        public var address: UInt32
        public var dotted: String { IPv4Subnet.dotted(address) }
    }

    private struct State {
        var used: Set<UInt32> = []
        /// Networks of ended pods kept for the next pods (`park`), newest last.
        var parked: [Parked] = []
        /// Counts releases and parks; pods waiting for an address wait for it to change.
        var changes = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        var cursor: UInt32
        /// Pod name → its address, for pods that are up.
        var pods: [String: UInt32] = [:]
        /// Names each published pod adds to the hosts file.
        var published: [String: [String]] = [:]
        var closed = false
    }

    private init(bridge: String, index: Int32, subnet: IPv4Subnet, directory: String) {
        let gateway = IPv4Subnet.dotted(subnet.base + 1)
        kube = KubeObjects(hostIP: gateway)
        var server: KubeAPIServer?, problem: String?
        do {
            let certificate = try KubeCertificate.make(address: subnet.base + 1)
            server = try KubeAPIServer.start(host: gateway, port: Self.kubePort, allowed: subnet, certificate: certificate, objects: kube)
            let token = UUID().uuidString + UUID().uuidString
            for (name, text) in [("ca.crt", certificate.certificatePEM), ("token", token)] {
                guard FileManager.default.createFile(atPath: directory + "/serviceaccount/" + name, contents: Data(text.utf8)) else {
                    throw NetworkError(what: "writing the service account's \(name)", errno: errno)
                }
            }
        } catch {
            problem = "the Kubernetes API did not start: \(error)"
            server?.close()
            server = nil
        }
        kubeServer = server
        kubeProblem = problem
        self.bridge = bridge
        self.lowerIndex = index
        self.subnet = subnet
        self.directory = directory
        self.state = Mutex(State(cursor: subnet.base + 2))
    }

    /// Why pods cannot have a network here, or nil: creating bridges and namespaces needs
    /// CAP_NET_ADMIN and CAP_SYS_ADMIN (the simulator as root) and a sandbox with namespaces.
    static func unavailable(isolation: HostIsolation) -> String? {
        guard isolation.mountNamespaces else { return "pods have no namespaces on this host" }
        guard getuid() == 0 else { return "creating network devices and namespaces needs root (CAP_NET_ADMIN)" }
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
        // Networks of simulators that are gone (their pods' eth0s go with their lower device).
        for name in links() where isNetworkName(name) {
            guard let owner = owner(ofBridge: name), !RunDirectories.isRunning(owner.pid) else { continue }
            let stale = Int32(if_nametoindex(name))
            if stale > 0 { _ = cnet_link_delete(nl, stale) }
        }
        let routes = hostRoutes()
        var index = 0, lastError: NetworkError?
        blocks: while let block = pool.block(index, prefix: blockPrefix) {
            index += 1
            if routes.contains(where: { $0.overlaps(block) }) { continue }
            // The first free name (`armsim<n>`, and `armsim<n>p`, `armsim<n>g` with it).
            for number in 0..<1000 where !FileManager.default.fileExists(atPath: "/sys/class/net/\(bridgePrefix)\(number)") {
                let name = bridgePrefix + String(number)
                var ifindex: Int32 = 0
                let rc = cnet_network_create(nl, name, block.base + 1, Int32(block.prefix), aliasPrefix + "\(getpid()) runtime=\(runtime)", &ifindex)
                if rc == EEXIST { continue } // taken meanwhile
                guard rc == 0 else {
                    lastError = NetworkError(what: "creating the bridge \(name) (\(block))", errno: rc)
                    break blocks
                }
                if cfiles_mkdirs(directory + "/serviceaccount", 0o755) != 0 {
                    let error = errno
                    _ = cnet_link_delete(nl, ifindex)
                    return .failure(NetworkError(what: "creating \(directory)", errno: error))
                }
                let network = PodNetwork(bridge: name, index: ifindex, subnet: block, directory: directory)
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

    /// Deletes every pod network of this process (a forced exit: no runtime closes its own).
    static func removeAll() {
        let nl = cnet_open()
        guard nl >= 0 else { return }
        defer { Glibc.close(nl) }
        for name in links() where isNetworkName(name) && owner(ofBridge: name)?.pid == getpid() {
            let index = Int32(if_nametoindex(name))
            if index > 0 { _ = cnet_link_delete(nl, index) }
        }
    }

    /// The host's network interfaces.
    static func links() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? [] }

    /// `armsim<n>`: a network's lower device.
    static func isNetworkName(_ name: String) -> Bool {
        name.hasPrefix(bridgePrefix) && name.count > bridgePrefix.count && name.dropFirst(bridgePrefix.count).allSatisfy(\.isNumber)
    }

    /// The networks (lower devices) on this host that belong to `runtime` of this process.
    public static func bridges(ofRuntime runtime: String) -> [String] {
        links().filter { name in
            isNetworkName(name) && owner(ofBridge: name).map { $0.pid == getpid() && $0.runtime == runtime } == true
        }
    }

    /// The networks the host's IPv4 routes lead to (`/proc/net/route`), the default route left out.
    static func hostRoutes() -> [IPv4Subnet] {
        let text = (try? String(contentsOfFile: "/proc/net/route", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let f = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard f.count >= 8, let destination = UInt32(f[1], radix: 16), let mask = UInt32(f[7], radix: 16), mask != 0 else { return nil }
            return IPv4Subnet(base: UInt32(bigEndian: destination), prefix: UInt32(bigEndian: mask).nonzeroBitCount)
        }
    }

    /// How often an address was released or a network kept: a pod that found none waits for
    /// this to change (`waitForChange`).
    var changes: Int { state.withLock { $0.changes } }

    /// Returns once `changes` differs from `seen`, the network closed, or the task is cancelled.
    func waitForChange(since seen: Int) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.changes != seen || s.closed || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Wakes every pod waiting for an address (with the state locked by the caller).
    private static func changed(_ s: inout State) -> [CheckedContinuation<Void, Never>] {
        s.changes &+= 1
        defer { s.waiters = [:] }
        return Array(s.waiters.values)
    }

    /// Takes a free address for `pod`; nil when every address of the block is taken.
    func lease(pod: String) -> Lease? {
        state.withLock { s in
            guard !s.closed else { return nil }
            let first = subnet.base + 2, count = UInt32(clamping: subnet.size) - 3 // network, bridge, broadcast
            guard s.used.count < Int(count) else { return nil }
            func next(_ a: UInt32) -> UInt32 { a - first + 1 >= count ? first : a + 1 }
            var address = s.cursor
            while s.used.contains(address) { address = next(address) }
            // The next lease starts after this one: a released address rests until every other
            // has had its turn (by then the namespace that had it is long gone, and the host's
            // neighbour entry for it has expired).
            s.cursor = next(address)
            s.used.insert(address)
            return Lease(address: address)
        }
    }

    /// The pod's network is up: it answers `address(ofPod:)`, and its names join the hosts file
    /// when `names` is not empty.
    func up(_ lease: Lease, pod: String, names: [String]) {
        let hosts: String? = state.withLock { s in
            s.pods[pod] = lease.address
            guard !names.isEmpty else { return nil }
            s.published[pod] = names
            return Self.hostsFile(s)
        }
        if let hosts { writeHosts(hosts) }
    }

    /// The hosts file for the published pods.
    private static func hostsFile(_ s: State) -> String {
        HostsFile.render(s.published.reduce(into: [:]) { $0[s.pods[$1.key] ?? 0, default: []] += $1.value })
    }

    /// The pod's address and names are no longer in use: the new hosts file, if its names were in it.
    private static func unpublish(_ s: inout State, pod: String, address: UInt32) -> String? {
        if s.pods[pod] == address { s.pods[pod] = nil }
        return s.published.removeValue(forKey: pod) == nil ? nil : hostsFile(s)
    }

    /// A pod network kept after its pod ended: its namespace (launcher id `id`, made by launcher
    /// generation `generation`) with `eth0` holding the lease's address.
    struct Parked: Sendable {
        var lease: Lease
        var id: UInt32
        var generation: Int
    }

    /// How many ended pods' networks are kept for reuse.
    static let parkLimit = 32

    /// Keeps an ended pod's network for a later pod (its names leave the hosts file), unless
    /// `parkLimit` are kept already: false then, and the caller lets it go.
    func park(_ lease: Lease, pod: String, id: UInt32, generation: Int) -> Bool {
        let (parked, hosts, waiters): (Bool, String?, [CheckedContinuation<Void, Never>]) = state.withLock { s in
            guard !s.closed, s.parked.count < Self.parkLimit else { return (false, nil, []) }
            s.parked.append(Parked(lease: lease, id: id, generation: generation))
            return (true, Self.unpublish(&s, pod: pod, address: lease.address), Self.changed(&s))
        }
        if let hosts { writeHosts(hosts) }
        for waiter in waiters { waiter.resume() }
        return parked
    }

    /// A kept network made by launcher `generation`, the most recently parked first; those of
    /// earlier launchers went with them, and their addresses are free again.
    func takeParked(generation: Int) -> Parked? {
        state.withLock { s in
            for stale in s.parked where stale.generation != generation { s.used.remove(stale.lease.address) }
            s.parked.removeAll { $0.generation != generation }
            return s.parked.popLast()
        }
    }

    /// Returns the pod's address; its names leave the hosts file.
    func release(_ lease: Lease, pod: String) {
        let (hosts, waiters): (String?, [CheckedContinuation<Void, Never>]) = state.withLock { s in
            s.used.remove(lease.address)
            return (Self.unpublish(&s, pod: pod, address: lease.address), Self.changed(&s))
        }
        if let hosts { writeHosts(hosts) }
        for waiter in waiters { waiter.resume() }
    }

    /// The service-account directory of `namespace` (`token`, `ca.crt`, `namespace`), made at its
    /// first pod; its path below `podDirectory`, or nil without the API.
    func serviceAccount(namespace: String) -> String? {
        guard kubeServer != nil, HostsFile.isHostname(namespace), !namespace.contains("..") else { return nil }
        let relative = "serviceaccount/" + namespace
        let path = directory + "/" + relative
        if access(path + "/namespace", F_OK) != 0 {
            _ = cfiles_mkdirs(path, 0o755)
            for name in ["ca.crt", "token"] { _ = link(directory + "/serviceaccount/" + name, path + "/" + name) }
            Self.writeWhole(path + "/namespace", namespace)
        }
        return relative
    }

    /// The address of a pod whose network is up (its `status.podIP`).
    public func address(ofPod pod: String) -> String? {
        state.withLock { $0.pods[pod] }.map(IPv4Subnet.dotted)
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Deletes the network (the lower device, and with it the host's and any pod's macvlan) and
    /// the hosts file, once every pod has ended; returns the addresses still leased then (kept
    /// networks aside), which should be none.
    @discardableResult
    func close() -> [String] {
        // Kept networks went with the launcher (the simulator stopped first): their addresses are no leftovers.
        let (leased, waiters): ([UInt32]?, [CheckedContinuation<Void, Never>]) = state.withLock { s in
            defer { s.closed = true }
            return s.closed ? (nil, []) : (Array(s.used.subtracting(s.parked.map(\.lease.address))), Self.changed(&s))
        }
        for waiter in waiters { waiter.resume() }
        guard let leased else { return [] }
        kubeServer?.close()
        let nl = cnet_open()
        if nl >= 0 {
            _ = cnet_link_delete(nl, lowerIndex)
            Glibc.close(nl)
        }
        _ = cfiles_remove(directory)
        return leased.sorted().map { "address " + IPv4Subnet.dotted($0) + " still leased" }
    }

    private func writeHosts(_ text: String) { Self.writeWhole(directory + "/hosts", text) }

    /// Replaces `path` at once (a temporary file renamed), readable by pods' users (0644 whatever
    /// the umask), so a pod never reads half of it.
    private static func writeWhole(_ path: String, _ text: String) {
        let temporary = path + ".\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: 0o644]) else { return }
        if rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// A failed network operation: what was done and the errno value.
    public struct NetworkError: Error, CustomStringConvertible {
        var what: String
        var errno: Int32
        public var description: String { what + ": " + String(cString: strerror(errno)) }
    }
}
