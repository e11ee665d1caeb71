import Foundation

/// Which node a node action (`cancelOnNode`, `preemptOnNode`) targets: upstream's runner takes the
/// first Kubernetes node labelled `armadaproject.io/node-pool=<nodePoolTag>`.
public protocol NodeResolver: Sendable {
    /// The node's name, or a `NodeResolutionError` that says how to name one.
    func node(inPool tag: String) async throws(NodeResolutionError) -> String
    /// What resolves nodes, for messages (`kubectl`, `the embedded simulator's fleet`).
    var summary: String { get }
}

public struct NodeResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The label upstream's runner selects nodes by.
public enum NodePool {
    public static let label = "armadaproject.io/node-pool"
}

/// Nodes named on the command line (`--node node-ops=worker-3`), asked first; other pools go to
/// `fallback`.
public struct NamedNodes: NodeResolver {
    public let nodes: [String: String]
    public let fallback: (any NodeResolver)?

    public init(_ nodes: [String: String], fallback: (any NodeResolver)?) {
        self.nodes = nodes
        self.fallback = fallback
    }

    public var summary: String { nodes.isEmpty ? fallback?.summary ?? "nothing" : "--node" + (fallback.map { ", then \($0.summary)" } ?? "") }

    public func node(inPool tag: String) async throws(NodeResolutionError) -> String {
        if let name = nodes[tag] { return name }
        guard let fallback else {
            throw NodeResolutionError("no node known for pool \(tag): pass --node \(tag)=<node name>")
        }
        return try await fallback.node(inPool: tag)
    }
}

/// `kubectl get nodes -l armadaproject.io/node-pool=<tag>` with the local kubeconfig (kubectl
/// follows client-go's rules: `$KUBECONFIG`, a path list, or `~/.kube/config`, current context),
/// the first node by name, as upstream's runner picks it.
public struct KubectlNodes: NodeResolver {
    public let command: String
    /// Called with a warning when several nodes match (upstream prints it and uses the first).
    public let warn: @Sendable (String) -> Void

    public init(command: String = "kubectl", warn: @escaping @Sendable (String) -> Void = { _ in }) {
        self.command = command
        self.warn = warn
    }

    public var summary: String { "kubectl" }

    public func node(inPool tag: String) async throws(NodeResolutionError) -> String {
        let selector = "\(NodePool.label)=\(tag)"
        let result: ExternalCommand.Output
        do {
            result = try await ExternalCommand.run(command, ["get", "nodes", "-l", selector, "-o", "jsonpath={.items[*].metadata.name}"])
        } catch {
            throw NodeResolutionError("failed to list nodes with label \(selector): cannot run \(command) (\(error.localizedDescription)); "
                + "install kubectl with a kubeconfig for the worker cluster, or pass --node \(tag)=<node name>")
        }
        guard result.status == 0 else {
            let why = String(decoding: result.stderr.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw NodeResolutionError("failed to list nodes with label \(selector): \(command) exited with status \(result.status)"
                + (why.isEmpty ? "" : ": \(why)") + "; or pass --node \(tag)=<node name>")
        }
        let names = String(decoding: result.stdout, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init).sorted()
        guard let first = names.first else { throw NodeResolutionError("no node found with label \(selector)") }
        if names.count > 1 { warn("warn: multiple nodes match label \(selector); using \(first)") }
        return first
    }
}
