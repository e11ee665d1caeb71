import ArmadaAPI

/// One problem found by `RetryPolicyValidator`, with the path of the offending field relative to
/// the policy.
public struct RetryPolicyIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable { case error, warning }

    public var severity: Severity
    public var path: FieldPath
    public var message: String

    public init(_ severity: Severity = .error, at path: FieldPath, _ message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    public var description: String { path.isRoot ? message : "\(path): \(message)" }
}
