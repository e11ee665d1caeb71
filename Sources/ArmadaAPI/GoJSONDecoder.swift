/// Decodes `Decodable` values from JSON the way Armada's gateway does: Go's `encoding/json`
/// unmarshalling into the generated structs (REST doc §2.1–2.3).
///
/// - A key matches a field exactly or, failing that, case-insensitively (`JOBSETID` is `jobSetId`);
///   among several keys for one field the last exact one wins, else the last case-insensitive one
///   (Go would take the last of all of them; exact-first keeps map keys such as `a` and `A` apart).
/// - Unknown keys are ignored.
/// - `null`, or a missing key, is the field's zero value: `""`, `0`, `false`, an empty list or map,
///   an empty message (and `nil` where the Swift field is optional, as for a Go pointer).
/// - Types stay strict: a string where a number belongs, a fraction or an out-of-range number for
///   an integer are errors that name the field.
/// - `JSONValue` fields (Kubernetes objects carried through) receive the subtree as written.
public struct GoJSONDecoder: Sendable {
    public init() {}

    /// An error naming the field (`jobRequestItems[0].priority`) and what was wrong.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String {
            path.isEmpty ? "json: \(message)" : "json: \(message) (at \(path))"
        }
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(Failure) -> T {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw Failure(path: "", message: error.description)
        }
        return try decode(type, from: value)
    }

    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(Failure) -> T {
        do {
            return try GoValueDecoder(value: value, codingPath: []).decodeValue(type)
        } catch let failure as Failure {
            throw failure
        } catch let DecodingError.dataCorrupted(context) {
            throw Failure(path: GoValueDecoder.describe(context.codingPath), message: context.debugDescription)
        } catch let DecodingError.typeMismatch(_, context) {
            throw Failure(path: GoValueDecoder.describe(context.codingPath), message: context.debugDescription)
        } catch {
            throw Failure(path: "", message: "\(error)")
        }
    }
}

/// One node of the tree being decoded.
struct GoValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        switch value {
        case .object(let members): return KeyedDecodingContainer(GoKeyedContainer<Key>(members: members, codingPath: codingPath))
        case .null: return KeyedDecodingContainer(GoKeyedContainer<Key>(members: [], codingPath: codingPath))
        default: throw mismatch("an object")
        }
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch value {
        case .array(let items): return GoUnkeyedContainer(items: items, codingPath: codingPath)
        case .null: return GoUnkeyedContainer(items: [], codingPath: codingPath)
        default: throw mismatch("an array")
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { GoSingleValueContainer(node: self) }

    func mismatch(_ expected: String) -> GoJSONDecoder.Failure {
        GoJSONDecoder.Failure(path: Self.describe(codingPath), message: "cannot unmarshal \(kind) into a field that needs \(expected)")
    }

    var kind: String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .number(let n): "number \(n)"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == JSONValue.self { return value as! T }
        switch type {
        case is String.Type: return try string() as! T
        case is Bool.Type: return try bool() as! T
        case is Double.Type: return try double() as! T
        case is Float.Type: return Float(try double()) as! T
        case is Int.Type: return try integer(Int.self) as! T
        case is Int32.Type: return try integer(Int32.self) as! T
        case is Int64.Type: return try integer(Int64.self) as! T
        case is UInt32.Type: return try integer(UInt32.self) as! T
        case is UInt64.Type: return try integer(UInt64.self) as! T
        case is UInt.Type: return try integer(UInt.self) as! T
        default: return try T(from: self)
        }
    }

    func string() throws -> String {
        switch value {
        case .string(let s): return s
        case .null: return ""
        default: throw mismatch("a string")
        }
    }

    func bool() throws -> Bool {
        switch value {
        case .bool(let b): return b
        case .null: return false
        default: throw mismatch("a bool")
        }
    }

    func double() throws -> Double {
        switch value {
        case .number(let text):
            guard let d = Double(text), d.isFinite else { throw mismatch("a number within range") }
            return d
        case .null: return 0
        default: throw mismatch("a number")
        }
    }

    /// Go parses an integer field's literal with `strconv.ParseInt`: `1.0`, `1e3` and overflow are errors.
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        switch value {
        case .number(let text):
            guard let i = I(text) else { throw mismatch("an integer within \(I.min)...\(I.max)") }
            return i
        case .null: return 0
        default: throw mismatch("an integer")
        }
    }

    static func describe(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return out
    }
}

/// Go matches a key to a field exactly, else case-insensitively; duplicates: the last one wins.
struct GoKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let members: [JSONValue.Member]
    let codingPath: [any CodingKey]

    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func lookup(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        if let exact = members.last(where: { $0.key == name }) { return exact.value }
        let folded = name.lowercased()
        return members.last { $0.key.lowercased() == folded }?.value
    }

    func contains(_ key: Key) -> Bool { lookup(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = lookup(key) else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try GoValueDecoder(value: lookup(key) ?? .null, codingPath: codingPath + [key]).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try GoValueDecoder(value: lookup(key) ?? .null, codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try GoValueDecoder(value: lookup(key) ?? .null, codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { GoValueDecoder(value: .object(members), codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        GoValueDecoder(value: lookup(key) ?? .null, codingPath: codingPath + [key])
    }
}

struct GoUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [JSONValue]
    let codingPath: [any CodingKey]
    var currentIndex = 0

    init(items: [JSONValue], codingPath: [any CodingKey]) {
        self.items = items
        self.codingPath = codingPath
    }

    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> GoValueDecoder {
        guard !isAtEnd else {
            throw GoJSONDecoder.Failure(path: GoValueDecoder.describe(codingPath), message: "read past the end of the array")
        }
        defer { currentIndex += 1 }
        return GoValueDecoder(value: items[currentIndex], codingPath: codingPath + [IndexKey(intValue: currentIndex)])
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

struct GoSingleValueContainer: SingleValueDecodingContainer {
    let node: GoValueDecoder
    var codingPath: [any CodingKey] { node.codingPath }

    func decodeNil() -> Bool { node.value == .null }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try node.decodeValue(type) }
}

/// An array index in a coding path.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}
