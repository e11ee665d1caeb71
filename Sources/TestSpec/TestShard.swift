/// `--shard i/n`: the part of a test library one CI machine runs. A test belongs to the shard its
/// name hashes to (FNV-1a, 64 bits, of the name's UTF-8, modulo n), so adding or removing tests
/// never moves the others, and every machine computes the same split without talking to the rest.
public struct TestShard: Sendable, Hashable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public static let maxCount = 10_000

    public init(index: Int, count: Int) throws(TestFilterError) {
        guard count >= 1, count <= Self.maxCount else {
            throw TestFilterError("--shard \(index)/\(count): the number of shards must be from 1 to \(Self.maxCount)")
        }
        guard index >= 1, index <= count else {
            throw TestFilterError("--shard \(index)/\(count): the shard must be from 1 to \(count) (shards are numbered from 1)")
        }
        (self.index, self.count) = (index, count)
    }

    /// `i/n`, for example `2/3`.
    public init(parsing text: String) throws(TestFilterError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Self.number(parts[0]), let count = Self.number(parts[1]) else {
            throw TestFilterError("--shard \"\(text)\" is not a shard: write INDEX/COUNT with whole numbers, for example --shard 2/3")
        }
        try self.init(index: index, count: count)
    }

    /// Digits only (no sign, no spaces), at most 9 of them: never traps.
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    public var description: String { "\(index)/\(count)" }

    public func contains(_ testName: String) -> Bool { Self.slot(of: testName, count: count) == index - 1 }

    /// 0-based shard of a name among `count`.
    public static func slot(of name: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(max(1, count)))
    }
}

/// A `--run`, `--skip` or `--shard` value that cannot be used, worded for the command line.
public struct TestFilterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
