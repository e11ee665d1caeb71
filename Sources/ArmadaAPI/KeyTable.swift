#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a value by the UTF-8 bytes of a JSON key without building a `String` (the event stream's
/// field and variant names): a few length-bucketed comparisons instead of hashing.
struct KeyTable<Value: Sendable>: Sendable {
    private let buckets: [[(name: [UInt8], value: Value)]]

    init(_ pairs: [(String, Value)]) {
        let longest = pairs.map(\.0.utf8.count).max() ?? 0
        var buckets = Array(repeating: [(name: [UInt8], value: Value)](), count: longest + 1)
        for (name, value) in pairs { buckets[name.utf8.count].append((Array(name.utf8), value)) }
        self.buckets = buckets
    }

    func value(for key: JSONScanner.Key) -> Value? {
        guard let raw = key.raw else { return value(for: Array(key.string.utf8)) }
        guard raw.count < buckets.count else { return nil }
        if raw.isEmpty { return buckets[0].first?.value }
        for entry in buckets[raw.count] where entry.name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }) {
            return entry.value
        }
        return nil
    }

    private func value(for name: [UInt8]) -> Value? {
        name.withUnsafeBufferPointer { value(for: JSONScanner.Key(raw: $0)) }
    }
}
