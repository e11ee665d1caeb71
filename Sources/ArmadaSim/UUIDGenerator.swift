/// Random (version 4) UUIDs in lower case, as Armada writes run ids and Kubernetes uids, from a
/// fast generator seeded once from the system's: Foundation's `UUID()` opens `/dev/urandom` on
/// every call on Linux, two system calls per id, and a run takes two ids. Not for secrets.
struct UUIDGenerator: Sendable {
    private var state: UInt64

    init(seed: UInt64 = UInt64.random(in: 0...UInt64.max)) { state = seed }

    /// SplitMix64.
    private mutating func next64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next() -> String {
        let high = (next64() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000 // version 4
        let low = (next64() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000 // RFC 4122 variant
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var i = 0
        for (word, dashes) in [(high, [8, 13]), (low, [18, 23])] {
            for shift in stride(from: 60, through: 0, by: -4) {
                if dashes.contains(i) { i += 1 }
                out[i] = hex[Int((word >> UInt64(shift)) & 0xF)]
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
