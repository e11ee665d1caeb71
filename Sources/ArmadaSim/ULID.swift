import Foundation

/// Job ids as Armada writes them: lower-case ULIDs (26 characters of Crockford base32: 48 bits
/// of milliseconds, 80 random bits), monotonic within one generator.
struct ULIDGenerator: Sendable {
    private static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")
    private var lastMillis: UInt64 = 0
    private var lastRandom: (UInt16, UInt64) = (0, 0)

    mutating func next(now: Date = Date()) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var random: (UInt16, UInt64)
        if millis <= lastMillis {
            // Same millisecond (or clock going back): increment the random part to stay sorted.
            random = lastRandom
            random.1 &+= 1
            if random.1 == 0 { random.0 &+= 1 }
        } else {
            random = (UInt16.random(in: 0...UInt16.max), UInt64.random(in: 0...UInt64.max))
            lastMillis = millis
        }
        lastRandom = random
        var chars = [Character](repeating: "0", count: 26)
        var time = lastMillis
        for i in stride(from: 9, through: 0, by: -1) {
            chars[i] = Self.alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits: 16 high + 64 low, written as 16 base32 digits.
        var low = random.1
        var high = UInt64(random.0)
        for i in stride(from: 25, through: 10, by: -1) {
            chars[i] = Self.alphabet[Int(low & 31)]
            low = (low >> 5) | ((high & 31) << 59)
            high >>= 5
        }
        return String(chars)
    }
}
