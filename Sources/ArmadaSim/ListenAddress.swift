import Foundation

/// `serve --host`, parsed as an address: whether it is loopback (127.0.0.0/8, `::1`, `localhost`
/// in any case) and how it reads inside a URL (IPv6 in brackets).
public struct ListenAddress: Sendable, Hashable {
    public var host: String

    public init(_ host: String) { self.host = host }

    public var isIPv6: Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, host, &address) == 1
    }

    public var isIPv4: Bool {
        var address = in_addr()
        return inet_pton(AF_INET, host, &address) == 1
    }

    public var isLoopback: Bool {
        if host.lowercased() == "localhost" || host.lowercased() == "localhost." { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            // IPv4-mapped loopback (::ffff:127.x.y.z).
            return bytes.prefix(10).allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
        }
        return false
    }

    /// Listening on every address (`0.0.0.0`, `::`).
    public var isWildcard: Bool { host == "0.0.0.0" || host == "::" || host == "[::]" }

    /// The host as a URL writes it: `[::1]` for IPv6, and a loopback address for a wildcard.
    public var urlHost: String {
        if isWildcard { return host.contains(":") ? "[::1]" : "127.0.0.1" }
        return isIPv6 ? "[\(host)]" : host
    }
}
