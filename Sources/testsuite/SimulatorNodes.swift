import ArmadaClient
import ArmadaSim

/// The embedded simulator's fleet, for node actions: the first node (by name) whose
/// `armadaproject.io/node-pool` label is the pool, as upstream's runner picks a Kubernetes node.
struct SimulatorNodes: NodeResolver {
    let nodes: [SimConfig.Node]

    var summary: String { "the embedded simulator's fleet" }

    func node(inPool tag: String) async throws(NodeResolutionError) -> String {
        let matching = nodes.filter { $0.labels[NodePool.label] == tag }.map(\.name).sorted()
        guard let first = matching.first else {
            throw NodeResolutionError("no node found with label \(NodePool.label)=\(tag) (the embedded simulator's nodes: "
                + nodes.map { n in n.name + (n.labels[NodePool.label].map { " in pool \($0)" } ?? "") }.joined(separator: ", ") + ")")
        }
        return first
    }
}
