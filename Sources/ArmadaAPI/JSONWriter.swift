/// Appends JSON text to a byte buffer for the hot path (the simulator's event log), writing what
/// `JSONValue.jsonText` writes: Go's string escapes, `JSONValue.numberText` numbers. Objects are
/// written member by member with `member(_:)`, which places the commas.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Per open object: whether a member has been written.
    private var started: [Bool] = []

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }
    public mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        started.append(false)
    }

    public mutating func endObject() {
        started.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    /// `"name":` after a comma when needed; write the value next.
    public mutating func member(_ name: String) {
        if started[started.count - 1] { bytes.append(UInt8(ascii: ",")) } else { started[started.count - 1] = true }
        string(name)
        bytes.append(UInt8(ascii: ":"))
    }

    /// An array of `items`, each written by `body`.
    public mutating func array<T>(_ items: [T], _ body: (inout JSONWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            body(&self, item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    static let hex = Array("0123456789abcdef".utf8)

    /// Bytes that are written escaped (or may start a line separator): one table lookup per byte.
    private static let special: [Bool] = (0..<256).map { b in
        b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 || b == 0xE2
    }

    public mutating func string(_ s: String) {
        // Fast path: nothing to escape (ids, names, most reasons): one append, straight from the
        // string's storage (no copy of the string, no table lookup through a lazy global per byte).
        let plain = s.utf8.withContiguousStorageIfAvailable { appendPlain($0) } ?? {
            var copy = s
            return copy.withUTF8 { appendPlain($0) }
        }()
        if plain { return }
        let start = bytes.count
        bytes.append(UInt8(ascii: "\""))
        var lineSeparators = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(0x5C); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(b)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), 0..<0x20:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 0xF)]])
            case 0xE2:
                lineSeparators = true
                bytes.append(b)
            default: bytes.append(b)
            }
        }
        if lineSeparators { Self.escapeLineSeparators(&bytes, from: start) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes `utf8` quoted when none of its bytes needs an escape; false (nothing written) otherwise.
    private mutating func appendPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let clean = Self.special.withUnsafeBufferPointer { special in !utf8.contains { special[Int($0)] } }
        guard clean else { return false }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: utf8)
        bytes.append(UInt8(ascii: "\""))
        return true
    }

    /// U+2028/U+2029 (E2 80 A8/A9) in what was just written become `\u2028`/`\u2029`, as Go writes them.
    private static func escapeLineSeparators(_ bytes: inout [UInt8], from start: Int) {
        var out = Array(bytes[...start])
        var j = start + 1
        while j < bytes.count {
            if j + 2 < bytes.count, bytes[j] == 0xE2, bytes[j + 1] == 0x80, bytes[j + 2] == 0xA8 || bytes[j + 2] == 0xA9 {
                out.append(contentsOf: Array((bytes[j + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8))
                j += 3
            } else {
                out.append(bytes[j])
                j += 1
            }
        }
        bytes = out
    }

    public mutating func number(_ text: String) { bytes.append(contentsOf: text.utf8) }
    public mutating func number<T: BinaryInteger>(_ n: T) {
        guard let value = Int64(exactly: n) else { return bytes.append(contentsOf: String(n).utf8) }
        // Digits written in place: timestamps and codes are in every event.
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }
    public mutating func number(_ d: Double) { bytes.append(contentsOf: JSONValue.numberText(d).utf8) }
    public mutating func bool(_ b: Bool) { raw(b ? "true" : "false") }
}
