/// A credential. Its `description` is always redacted, so it cannot leak through string
/// interpolation into logs, errors or reports.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The value, for the one place that must send it.
    public let revealed: String

    /// Every secret is known to `Redaction`, which keeps it out of all output.
    public init(_ value: String) {
        revealed = value
        Redaction.register(value)
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var isEmpty: Bool { revealed.isEmpty }
}

import ArmadaAPI
import Foundation

extension Secret {
    /// The URL as text with any user name and password replaced, for logs and errors.
    public static func redactingURL(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: false), parts.user != nil || parts.password != nil else {
            return url.absoluteString
        }
        parts.user = "redacted"
        parts.password = nil
        return parts.string ?? "<url redacted>"
    }
}
