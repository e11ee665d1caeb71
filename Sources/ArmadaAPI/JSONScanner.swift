#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A forward-only JSON reader over UTF-8 bytes for the hot path (event streams): values are read
/// where they stand, unwanted ones are skipped without building anything. Strict about syntax;
/// the lenient readers mirror `GatewayCoding`'s (a number where a string belongs is its text, a
/// numeric string where a number belongs is its value, anything else the zero value).
public struct JSONScanner {
    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    public private(set) var offset: Int

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        offset = 0
    }

    // MARK: Structure

    func error(_ message: String) -> SyntaxError { SyntaxError(offset: offset, message: message) }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    /// The next significant byte, without consuming it.
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    mutating func consume(_ byte: UInt8) throws(SyntaxError) {
        guard peek() == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        offset += 1
    }

    /// Whether only whitespace is left.
    public mutating func atEnd() -> Bool { peek() == nil }

    /// Calls `body` with each member's key, positioned at its value; `body` must read or skip it.
    public mutating func members(_ body: (String, inout JSONScanner) throws -> Void) throws {
        try members(keys:) { key, s in try body(key.string, &s) }
    }

    /// A member's key. Without escapes it is the bytes between its quotes (no `String` is built
    /// unless asked for); with escapes, the decoded string.
    public struct Key {
        public let raw: UnsafeBufferPointer<UInt8>?
        private let decoded: String?

        init(raw: UnsafeBufferPointer<UInt8>) {
            self.raw = raw
            decoded = nil
        }

        init(decoded: String) {
            raw = nil
            self.decoded = decoded
        }

        public var string: String { decoded ?? String(decoding: raw!, as: UTF8.self) }

        /// Whether the key, lower-cased, is one of `names` (given in lower case): a key Go's
        /// decoder would match to a field without matching it exactly.
        public func folds(to names: [String]) -> Bool {
            names.contains(string.lowercased())
        }

        public func equals(_ text: StaticString) -> Bool {
            let n = text.utf8CodeUnitCount
            guard let raw else { return decoded == text.description }
            return raw.count == n && (n == 0 || memcmp(raw.baseAddress!, text.utf8Start, n) == 0)
        }
    }

    /// `members` without building a `String` per key (the hot path's objects).
    public mutating func members(keys body: (Key, inout JSONScanner) throws -> Void) throws {
        try consume(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            offset += 1
            return
        }
        while true {
            try body(try readKey(), &self)
            switch peek() ?? 0 {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return
            default: throw error("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func readKey() throws -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        let key = try plainString().map(Key.init(raw:)) ?? Key(decoded: readString())
        try consume(UInt8(ascii: ":"))
        return key
    }

    /// At a string without escapes or control characters: its bytes between the quotes, consumed.
    /// Otherwise nil, and nothing is consumed.
    private mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        let start = offset + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                offset = i + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<i])
            }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// Calls `body` positioned at each element of an array.
    public mutating func elements(_ body: (inout JSONScanner) throws -> Void) throws {
        try consume(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            offset += 1
            return
        }
        while true {
            try body(&self)
            switch peek() ?? 0 {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return
            default: throw error("expected ',' or ']' in an array")
            }
        }
    }

    /// The bytes of the next value, skipped (for a nested value another decoder reads).
    public mutating func rawValue() throws(SyntaxError) -> UnsafeBufferPointer<UInt8> {
        _ = peek()
        let start = offset
        try skipValue()
        return UnsafeBufferPointer(rebasing: bytes[start..<offset])
    }

    public mutating func skipValue() throws(SyntaxError) {
        guard let c = peek() else { throw error("expected a value") }
        switch c {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            // Brackets balance outside strings; the syntax inside is checked by whoever reads it.
            var depth = 0
            while offset < bytes.count {
                let b = bytes[offset]
                switch b {
                case UInt8(ascii: "\""):
                    try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        offset += 1
                        return
                    }
                default: break
                }
                offset += 1
            }
            throw error("unterminated object or array")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberBytes()
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count else { throw error("truncated literal") }
        for k in 0..<n where bytes[offset + k] != word.utf8Start[k] { throw error("invalid literal") }
        offset += n
    }

    // MARK: Scalars

    private mutating func skipString() throws(SyntaxError) {
        offset += 1
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                offset += 1
                return
            case UInt8(ascii: "\\"): offset += 2
            default: offset += 1
            }
        }
        throw error("unterminated string")
    }

    public mutating func readString() throws(SyntaxError) -> String {
        guard peek() == UInt8(ascii: "\"") else { throw error("expected a string") }
        if let plain = plainString() { return String(decoding: plain, as: UTF8.self) }
        offset += 1
        var out: [UInt8] = []
        while offset < bytes.count {
            let b = bytes[offset]
            offset += 1
            switch b {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard offset < bytes.count else { throw error("truncated escape") }
                let e = bytes[offset]
                offset += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), offset + 1 < bytes.count,
                       bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                        offset += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                            scalar = low
                        }
                    }
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: UTF8.encode(u)!)
                default: throw error("invalid escape")
                }
            default:
                if b < 0x20 { throw error("control character in a string") }
                out.append(b)
            }
        }
        throw error("unterminated string")
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[offset]
            offset += 1
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// The text of a number, checked against JSON's grammar.
    private mutating func numberBytes() throws(SyntaxError) -> String {
        let start = offset
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        var digits = 0
        while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) {
            offset += 1
            digits += 1
        }
        guard digits > 0 else { throw error("expected a value") }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            while offset < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[offset]) { offset += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
    }

    // MARK: Lenient readers

    /// A string; a number's or a bool's text; "" for anything else (skipped).
    public mutating func lenientString() throws(SyntaxError) -> String {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""): return try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let isTrue = peek() == UInt8(ascii: "t")
            try skipValue()
            return isTrue ? "true" : "false"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try numberBytes()
            if let i = Int64(text) { return String(i) }
            return Double(text).map(JSONValue.numberText) ?? ""
        default:
            try skipValue()
            return ""
        }
    }

    /// An integer from a number or a numeric string; 0 otherwise.
    public mutating func lenientInteger<T: FixedWidthInteger>(_ type: T.Type = T.self) throws(SyntaxError) -> T {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""):
            let s = try readString()
            return T(s) ?? 0
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let text = try numberBytes()
            if let v = T(text) { return v }
            return Double(text).flatMap { T(exactly: $0.rounded()) } ?? 0
        default:
            try skipValue()
            return 0
        }
    }

    public mutating func lenientDouble() throws(SyntaxError) -> Double {
        switch peek() ?? 0 {
        case UInt8(ascii: "\""): return Double(try readString()) ?? 0
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return Double(try numberBytes()) ?? 0
        default:
            try skipValue()
            return 0
        }
    }

    /// true, or the string "true"; false otherwise.
    public mutating func lenientBool() throws(SyntaxError) -> Bool {
        switch peek() ?? 0 {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "\""): return try readString() == "true"
        default:
            try skipValue()
            return false
        }
    }

    /// A map of string, number or bool values (others dropped); empty unless it is an object.
    public mutating func lenientStringMap() throws -> [String: String] {
        guard peek() == UInt8(ascii: "{") else {
            try skipValue()
            return [:]
        }
        var out: [String: String] = [:]
        try members { key, s in
            switch s.peek() ?? 0 {
            case UInt8(ascii: "\""): out[key] = try s.readString()
            case UInt8(ascii: "t"), UInt8(ascii: "f"): out[key] = try s.lenientString()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): out[key] = try s.numberBytes()
            default: try s.skipValue()
            }
        }
        return out
    }

    /// Whether the next value is `null` (consumed if so).
    public mutating func skipNull() throws(SyntaxError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// The number's text if the next value is a number (consumed), else nil (not consumed).
    public mutating func numberText() throws(SyntaxError) -> String? {
        switch peek() ?? 0 {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try numberBytes()
        default: return nil
        }
    }
}
