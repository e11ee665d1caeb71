import ArmadaAPI

/// A problem found while loading a test case: what, where (file:line:column and the key path), and
/// how to fix it.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    public var path: FieldPath
    public var message: String
    public var hint: String?

    public init(_ severity: Severity, at location: SourceLocation, path: FieldPath = .root, _ message: String,
                hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
        self.hint = hint
    }

    public var isError: Bool { severity == .error }

    /// `file:line:col: error: path: message` and, when there is one, an indented hint line.
    public var description: String {
        var out = "\(location): \(severity.rawValue): "
        if !path.isRoot { out += "\(path): " }
        out += message
        if let hint { out += "\n    hint: \(hint)" }
        return out
    }
}
