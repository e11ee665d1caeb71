import ArmadaAPI

/// Where Armada's gRPC API listens and how to secure the connection, as armadactl reads it:
/// `armadaUrl` is `host:port` (also `dns:///host:port`, `[v6]:port`), TLS with the system's roots
/// unless `forceNoTls`, or with a custom CA bundle. `http://` and `https://` prefixes are accepted
/// for `--grpc-url` and choose plaintext and TLS.
public struct GRPCEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var tls: Bool
    /// PEM file of the CAs to trust instead of the system's roots.
    public var caCertificatePath: String?
    /// Client keepalive, armadactl's `grpcKeepAliveTime` / `grpcKeepAliveTimeout`.
    public var keepAliveTime: Duration?
    public var keepAliveTimeout: Duration?

    public init(host: String, port: Int, tls: Bool, caCertificatePath: String? = nil,
                keepAliveTime: Duration? = nil, keepAliveTimeout: Duration? = nil) {
        self.host = host
        self.port = port
        self.tls = tls
        self.caCertificatePath = caCertificatePath
        self.keepAliveTime = keepAliveTime
        self.keepAliveTimeout = keepAliveTimeout
    }

    /// `grpc://localhost:50051` style, for banners (the scheme says whether TLS is on).
    public var description: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(tls ? "grpcs" : "grpc")://\(shown):\(port)"
    }

    /// Parses `text`; `forceNoTls` turns TLS off unless the text says `https://`.
    public static func parse(_ text: String, forceNoTls: Bool) throws(ArmadaError) -> GRPCEndpoint {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var tls = !forceNoTls
        let lower = rest.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("grpc://") {
            rest = rest.dropFirst(7)
            tls = false
        } else if lower.hasPrefix("https://") || lower.hasPrefix("grpcs://") {
            rest = rest.dropFirst(8)
            tls = true
        } else if lower.hasPrefix("dns:///") {
            rest = rest.dropFirst(7)
        } else if lower.contains("://") {
            throw problem(text, "unknown scheme; use host:port (armadactl's form), http:// (no TLS) or https://")
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw problem(text, "an IPv6 address needs its closing ]") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw problem(text, "expected :port after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty, !host.contains("/"), !host.contains(" ") else { throw problem(text, "no host name") }
        var port = tls ? 443 : 80
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                throw problem(text, "port \"\(portText)\" is not a number from 1 to 65535")
            }
            port = p
        }
        return GRPCEndpoint(host: String(host), port: port, tls: tls)
    }

    static func problem(_ text: String, _ why: String) -> ArmadaError {
        ArmadaError(.configuration, endpoint: "", message: "\"\(text)\" is not a gRPC address: \(why) (e.g. localhost:50051)")
    }
}
