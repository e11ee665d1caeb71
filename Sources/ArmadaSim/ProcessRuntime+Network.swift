import Foundation
import Synchronization

extension ProcessRuntime {
    /// A runtime's pod network, created at its first pod (a runtime that runs none leaves no
    /// bridge), or why it is off.
    final class NetworkSlot: Sendable {
        let unavailable: String?
        let pool: IPv4Subnet
        let blockPrefix: Int
        let directory: String
        let runtime: String
        private let state = Mutex<Result<PodNetwork, PodNetwork.NetworkError>?>(nil)
        /// What the last network left behind when it closed (`PodNetwork.close`).
        let leftovers = Mutex<[String]>([])

        init(unavailable: String?, pool: IPv4Subnet, blockPrefix: Int, directory: String, runtime: String) {
            self.runtime = runtime
            self.unavailable = unavailable
            self.pool = pool
            self.blockPrefix = blockPrefix
            self.directory = directory
        }

        /// The network (created now if it was not), or why pods run without one.
        func get() -> Result<PodNetwork, PodFailure> {
            if let unavailable { return .failure(PodFailure(message: unavailable)) }
            let result = state.withLock { s in
                if let s { return s }
                s = PodNetwork.create(pool: pool, blockPrefix: blockPrefix, directory: directory, runtime: runtime)
                return s!
            }
            return result.mapError { PodFailure(message: "\($0)") }
        }

        /// The network if it was created.
        var current: PodNetwork? {
            state.withLock { s -> PodNetwork? in
                if case .success(let n)? = s { return n }
                return nil
            }
        }

        /// Deletes the network; a later pod makes a new one (a runtime outlives a simulator's stop).
        func close() {
            let network = state.withLock { s -> PodNetwork? in
                defer { s = nil }
                if case .success(let n)? = s { return n }
                return nil
            }
            if let network {
                let left = network.close()
                leftovers.withLock { $0 = left }
            }
        }
    }

    public func podAddress(_ pod: String) -> String? { network.current?.address(ofPod: pod) }

    /// What this runtime's last pod network left when the simulator stopped: nothing, which the tests check.
    public var networkLeftovers: [String] { network.leftovers.withLock { $0 } }

    /// This runtime's bridges on the host (one while a simulator uses it, none after).
    public var bridges: [String] { PodNetwork.bridges(ofRuntime: instance) }

    /// The pod network this runtime's pods are on, once its first pod has run.
    public var podNetwork: PodNetwork? { network.current }

    /// For the banner: the pod network, or why it is off.
    var networkSummary: String {
        if let unavailable = network.unavailable { return "pod network off (\(unavailable)): jobs with ingress or services fail" }
        if let current = network.current {
            return "pod network \(current.subnet) on \(current.bridge), " + (current.kubeProblem ?? "Kubernetes API at https://\(IPv4Subnet.dotted(current.gateway)):\(PodNetwork.kubePort)")
        }
        return "pod network in a /\(network.blockPrefix) of \(network.pool) with a Kubernetes API"
    }

    /// Why a pod fails before its containers start (the pod's message).
    struct PodFailure: Error { var message: String }

    /// A pod's place on the network while it runs.
    struct PodAttachment: Sendable {
        var network: PodNetwork
        var lease: PodNetwork.Lease
        var id: UInt32
        /// The pod's service-account directory below `PodNetwork.podDirectory`, with the API.
        var serviceAccount: String?

        /// What the kubelet puts in a container's environment for the API (in-cluster config).
        var environment: [String: String] {
            guard serviceAccount != nil else { return [:] }
            let host = IPv4Subnet.dotted(network.gateway), port = String(PodNetwork.kubePort)
            return ["KUBERNETES_SERVICE_HOST": host, "KUBERNETES_SERVICE_PORT": port, "KUBERNETES_SERVICE_PORT_HTTPS": port,
                    "KUBERNETES_PORT": "tcp://\(host):\(port)", "KUBERNETES_PORT_443_TCP": "tcp://\(host):\(port)",
                    "KUBERNETES_PORT_443_TCP_ADDR": host, "KUBERNETES_PORT_443_TCP_PORT": port, "KUBERNETES_PORT_443_TCP_PROTO": "tcp"]
        }
    }

    /// Puts the pod on the network: its address, its namespace and eth0 (made by the launcher),
    /// its names in the hosts file and the pod in the Kubernetes API. nil with no network here (the pod gets a namespace
    /// of its own per container, loopback only), or the pod-level failure.
    func attach(_ pod: PodContext) async -> Result<PodAttachment?, PodFailure> {
        let network: PodNetwork
        switch self.network.get() {
        case .success(let n): network = n
        case .failure(let why):
            guard pod.isExposed else { return .success(nil) }
            let why = why.message
            return .failure(PodFailure(message: "the job asks for \(pod.ingressPorts.isEmpty ? "services" : "ingress"), which needs the simulator's pod network, "
                + "and it is off: \(why); run the simulator as root (as `make run` does) or drop the job's ingress and services"))
        }
        let names = pod.isExposed || pod.spec.declaresPorts ? HostsFile.names(pod: pod.name, jobId: pod.jobId, namespace: pod.namespace, services: pod.services) : []
        // An ended pod's network, if one is kept (no namespace or eth0 to make), else a free
        // address; with every address in use the pod stays pending until one is free, as a
        // kubelet retries a sandbox it could not create.
        let lease: PodNetwork.Lease
        while true {
            let seen = network.changes
            if let kept = network.takeParked(generation: launcher.generation) {
                network.up(kept.lease, pod: pod.name, names: names)
                return .success(register(PodAttachment(network: network, lease: kept.lease, id: kept.id), pod))
            }
            if let free = network.lease(pod: pod.name) {
                lease = free
                break
            }
            if Task.isCancelled || network.isClosed { return .failure(PodFailure(message: "failed to assign an IP address to the pod: every address of \(network.subnet) is in use")) }
            await network.waitForChange(since: seen)
        }
        switch await launcher.createNetwork(lower: network.lowerIndex, address: lease.address, prefix: network.subnet.prefix) {
        case .success(let id):
            network.up(lease, pod: pod.name, names: names)
            return .success(register(PodAttachment(network: network, lease: lease, id: id), pod))
        case .failure(let error):
            network.release(lease, pod: pod.name)
            return .failure(PodFailure(message: "failed to set up the pod's network (\(lease.dotted) on \(network.bridge)): \(error)"))
        }
    }

    /// The pod in the Kubernetes API, and its service account.
    private func register(_ attachment: PodAttachment, _ pod: PodContext) -> PodAttachment {
        var attachment = attachment
        let network = attachment.network
        attachment.serviceAccount = network.serviceAccount(namespace: pod.namespace)
        network.kube.add(KubeObjects.Pod(name: pod.name, jobId: pod.jobId, namespace: pod.namespace, labels: pod.labels, annotations: pod.annotations,
                                         nodeName: pod.nodeName, podIP: attachment.lease.dotted,
                                         containers: pod.spec.containers.map { ($0.name, $0.image) }, started: Date(), services: pod.services))
        return attachment
    }

    /// Takes the pod off the network, once its processes have ended: its network is kept for a
    /// later pod, or let go (its address rests until the others have had their turn, `PodNetwork.lease`).
    func detach(_ attachment: PodAttachment?, _ pod: PodContext, outcome: RunOutcome) {
        guard let attachment else { return }
        let succeeded = if case .succeeded = outcome { true } else { false }
        attachment.network.kube.finish(namespace: pod.namespace, name: pod.name, succeeded: succeeded)
        // Every process of the pod has ended (each container's init waited for its namespace's
        // last one), and pods cannot change their network's configuration (it belongs to the
        // host's user namespace): the next pod may have it as it is.
        let generation = launcher.generation
        if generation > 0, attachment.network.park(attachment.lease, pod: pod.name, id: attachment.id, generation: generation) { return }
        launcher.deleteNetwork(attachment.id)
        attachment.network.release(attachment.lease, pod: pod.name)
    }
}

extension PodSpecView {
    /// Whether any container declares a port (a pod meant to be reached by name).
    var declaresPorts: Bool { containers.contains { !$0.ports.isEmpty } }
}
