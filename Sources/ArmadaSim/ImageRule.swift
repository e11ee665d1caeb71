import Foundation
import RetryEngine

/// One rule of the image catalogue (`images.yaml`, a simulator config's `images:`): which image
/// references it covers and how the process runtime runs their containers.
public struct ImageRule: Codable, Sendable, Equatable {
    /// What the pod's root file system is.
    public enum Root: String, Codable, Sendable {
        /// A busybox system: the static busybox binary and its applets.
        case busybox
        /// A copy-on-write view of this host's system directories.
        case host
    }

    /// Go RE2 syntax, matched against the whole image reference.
    public var pattern: String
    public var root: Root
    /// The image's ENTRYPOINT and CMD.
    public var entrypoint: [String]?
    public var cmd: [String]?
    /// An absolute path of a host program the image needs, and the Debian package providing it.
    public var tool: String?
    public var package: String?

    public init(pattern: String, root: Root, entrypoint: [String]? = nil, cmd: [String]? = nil, tool: String? = nil, package: String? = nil) {
        (self.pattern, self.root, self.entrypoint, self.cmd, self.tool, self.package) = (pattern, root, entrypoint, cmd, tool, package)
    }

    /// The argv a container runs, by Kubernetes' rules: `command` replaces the entrypoint (and
    /// drops cmd), `args` replace cmd; without either, the image's entrypoint and cmd.
    public func argv(command: [String]?, args: [String]?) -> [String] {
        if let command, !command.isEmpty { return command + (args ?? []) }
        if let args, !args.isEmpty { return (entrypoint ?? []) + args }
        return (entrypoint ?? []) + (cmd ?? [])
    }

    /// Why this rule cannot be used, if it cannot.
    var problem: String? {
        if RegexCache.regex(pattern) == nil { return "pattern \(PodSpecView.quoted(pattern)) is not a valid Go regular expression" }
        if let tool, !tool.hasPrefix("/") { return "tool \(PodSpecView.quoted(tool)) must be an absolute path" }
        if root == .busybox, tool == nil { return "a busybox root needs its tool (the static busybox binary, e.g. /bin/busybox)" }
        return nil
    }

    /// Whether the rule covers `image` (the whole reference).
    func covers(_ image: String) -> Bool {
        RegexCache.contains("^(?:" + pattern + ")$", in: image) == true
    }

    /// Why a container of `image` cannot start on this host under this rule: its tool is missing.
    func missingTool(image: String) -> String? {
        guard let tool, !FileManager.default.isExecutableFile(atPath: tool) else { return nil }
        let what = root == .busybox ? "a busybox system" : (tool as NSString).lastPathComponent
        return "image \(PodSpecView.quoted(image)) runs \(what), and this host has no \(tool)"
            + (package.map { ": install Debian's \($0) package (apt-get install \($0))" } ?? "")
    }
}
