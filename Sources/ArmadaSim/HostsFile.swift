import ArmadaAPI

/// The pod network's `/etc/hosts` (see `PodNetwork`): what the kubelet writes for a pod, plus the
/// names a cluster's DNS would answer for exposed pods and their services.
enum HostsFile {
    /// The file for `names` (address → names), addresses in ascending order.
    static func render(_ names: [UInt32: [String]]) -> String {
        var text = """
            # Kubernetes-managed hosts file (armada-sim pod network).
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback

            """
        for (address, list) in names.sorted(by: { $0.key < $1.key }) where address != 0 && !list.isEmpty {
            text += IPv4Subnet.dotted(address) + "\t" + list.joined(separator: " ") + "\n"
        }
        return text
    }

    /// The names a pod is known by: its own, and each service's (`serviceName`) in the short and
    /// the qualified forms.
    static func names(pod: String, jobId: String, namespace: String, services: [ServiceConfig]) -> [String] {
        var names = qualified(pod, namespace)
        for (i, service) in services.enumerated() { names += qualified(serviceName(service, index: i, jobId: jobId), namespace) }
        return names.filter(isHostname)
    }

    /// A job's `i`-th service's name: its `name`, or the one Armada gives it, `armada-<jobId>-0-service-<i>`.
    static func serviceName(_ service: ServiceConfig, index: Int, jobId: String) -> String {
        service.name.flatMap { $0.isEmpty ? nil : $0 } ?? "armada-\(jobId)-0-service-\(index)"
    }

    private static func qualified(_ name: String, _ namespace: String) -> [String] {
        [name, "\(name).\(namespace)", "\(name).\(namespace).svc", "\(name).\(namespace).svc.cluster.local"]
    }

    /// Letters, digits, `-` and `.` only (a name from a job cannot break the file's lines).
    static func isHostname(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253 && name.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
        }
    }
}
