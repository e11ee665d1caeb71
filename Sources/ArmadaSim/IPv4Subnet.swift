/// An IPv4 network (`10.213.0.0/16`), addresses in host byte order.
public struct IPv4Subnet: Sendable, Hashable, CustomStringConvertible {
    public var base: UInt32
    public var prefix: Int

    public init?(base: UInt32, prefix: Int) {
        guard (0...32).contains(prefix) else { return nil }
        self.prefix = prefix
        self.base = base & Self.mask(prefix)
    }

    /// Parses `a.b.c.d/n`; nil for anything else (host bits set are cleared, as `ip route` does).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), parts[1].allSatisfy(\.isASCII),
              let base = Self.address(String(parts[0])) else { return nil }
        self.init(base: base, prefix: prefix)
    }

    static func mask(_ prefix: Int) -> UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }

    /// Parses a dotted quad (`10.0.0.1`), four decimal parts of 0…255 without signs or spaces.
    public static func address(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(part), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    public static func dotted(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)"
    }

    public var description: String { "\(Self.dotted(base))/\(prefix)" }

    /// How many addresses the network spans (2^(32-prefix)).
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }

    public func contains(_ address: UInt32) -> Bool { address & Self.mask(prefix) == base }

    public func overlaps(_ other: IPv4Subnet) -> Bool {
        let shorter = min(prefix, other.prefix)
        return base & Self.mask(shorter) == other.base & Self.mask(shorter)
    }

    /// The `index`-th network of length `prefix` inside this one, if there is one.
    public func block(_ index: Int, prefix blockPrefix: Int) -> IPv4Subnet? {
        guard blockPrefix >= prefix, blockPrefix <= 30, index >= 0, UInt64(index) < UInt64(1) << UInt64(blockPrefix - prefix) else { return nil }
        return IPv4Subnet(base: base | UInt32(index) << UInt32(32 - blockPrefix), prefix: blockPrefix)
    }
}
