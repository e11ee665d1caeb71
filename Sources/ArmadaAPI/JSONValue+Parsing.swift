/// Reading a whole JSON text into a `JSONValue`, as Go's `encoding/json` reads a request body:
/// strict syntax (RFC 8259 numbers, nothing but whitespace after the value), duplicate keys kept in
/// order (the decoder's lookups take the last, as Go assigns each in turn), numbers kept as written.
extension JSONValue {
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// Parses `bytes`; an empty (or all-whitespace) text is an error, as it is for `json.Unmarshal`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> JSONValue {
        var s = JSONScanner(bytes)
        do {
            let value = try parseValue(&s, depth: 0)
            guard s.atEnd() else { throw ParseError(offset: s.offset, message: "invalid character after the top-level value") }
            return value
        } catch let e as ParseError {
            throw e
        } catch let e as JSONScanner.SyntaxError {
            throw ParseError(offset: e.offset, message: e.message)
        } catch {
            throw ParseError(offset: s.offset, message: "\(error)")
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONValue {
        do {
            return try bytes.withUnsafeBufferPointer { buffer in try parse(buffer) }
        } catch let e as ParseError {
            throw e
        } catch {
            throw ParseError(offset: 0, message: "\(error)")
        }
    }

    private static func parseValue(_ s: inout JSONScanner, depth: Int) throws -> JSONValue {
        switch s.peek() {
        case UInt8(ascii: "{")?:
            guard depth < maxDepth else { throw ParseError(offset: s.offset, message: "nested deeper than \(maxDepth) levels") }
            var members: [Member] = []
            try s.members(keys:) { key, s in members.append(Member(key.string, try parseValue(&s, depth: depth + 1))) }
            return .object(members)
        case UInt8(ascii: "[")?:
            guard depth < maxDepth else { throw ParseError(offset: s.offset, message: "nested deeper than \(maxDepth) levels") }
            var items: [JSONValue] = []
            try s.elements { s in items.append(try parseValue(&s, depth: depth + 1)) }
            return .array(items)
        case UInt8(ascii: "\"")?:
            return .string(try s.readString())
        case UInt8(ascii: "t")?, UInt8(ascii: "f")?, UInt8(ascii: "n")?:
            let first = s.peek()
            try s.skipValue()
            return first == UInt8(ascii: "t") ? .bool(true) : first == UInt8(ascii: "f") ? .bool(false) : .null
        case nil:
            throw ParseError(offset: s.offset, message: "unexpected end of JSON input")
        default:
            let start = s.offset
            guard let text = try s.numberText(), isNumberLiteral(text) else {
                throw ParseError(offset: start, message: "invalid character looking for the beginning of a value")
            }
            return .number(text)
        }
    }

    /// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    public static func isNumberLiteral(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let b = bytes.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) {
                bytes.removeFirst()
                n += 1
            }
            return n
        }
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes.removeFirst()
        } else if digits() == 0 {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            guard digits() > 0 else { return false }
        }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            bytes.removeFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes.removeFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }
}
