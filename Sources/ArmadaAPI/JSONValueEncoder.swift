/// Encodes any `Encodable` into a `JSONValue`, keeping members in the order `encode(to:)`
/// writes them. Foundation's JSONEncoder on Linux reorders keys (differently from call to call);
/// Go's encoding/json writes struct fields in declaration order, and so must a faithful gateway.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let node = Node()
        try value.encode(to: TreeEncoder(node: node, codingPath: []))
        return node.json
    }

    final class Node {
        enum Content {
            case unset
            case scalar(JSONValue)
            case object([(String, Node)])
            case array([Node])
        }

        var content = Content.unset

        var json: JSONValue {
            switch content {
            case .unset: return .object([])
            case .scalar(let v): return v
            case .object(let members): return .object(members.map { .init($0.0, $0.1.json) })
            case .array(let items): return .array(items.map(\.json))
            }
        }

        func child(forKey key: String) -> Node {
            if case .object(let members) = content, let existing = members.first(where: { $0.0 == key }) { return existing.1 }
            let node = Node()
            if case .object(var members) = content {
                members.append((key, node))
                content = .object(members)
            } else {
                content = .object([(key, node)])
            }
            return node
        }

        func appendChild() -> Node {
            let node = Node()
            if case .array(var items) = content {
                items.append(node)
                content = .array(items)
            } else {
                content = .array([node])
            }
            return node
        }

        func makeObject() { if case .object = content {} else { content = .object([]) } }
        func makeArray() { if case .array = content {} else { content = .array([]) } }
    }

    struct TreeEncoder: Encoder {
        let node: Node
        var codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            node.makeObject()
            return KeyedEncodingContainer(Keyed<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            node.makeArray()
            return Unkeyed(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: node, codingPath: codingPath) }
    }

    static func scalar<T: Encodable>(_ value: T) -> JSONValue? {
        switch value {
        case let v as String: return .string(v)
        case let v as Bool: return .bool(v)
        case let v as Double: return .number(JSONValue.numberText(v))
        case let v as Float: return .number(JSONValue.numberText(Double(v)))
        case let v as Int: return .number(String(v))
        case let v as Int8: return .number(String(v))
        case let v as Int16: return .number(String(v))
        case let v as Int32: return .number(String(v))
        case let v as Int64: return .number(String(v))
        case let v as UInt: return .number(String(v))
        case let v as UInt8: return .number(String(v))
        case let v as UInt16: return .number(String(v))
        case let v as UInt32: return .number(String(v))
        case let v as UInt64: return .number(String(v))
        default: return nil
        }
    }

    static func encode<T: Encodable>(_ value: T, into node: Node, codingPath: [any CodingKey]) throws {
        if let v = value as? JSONValue {
            node.content = .scalar(v)
        } else if let s = scalar(value) {
            node.content = .scalar(s)
        } else {
            try value.encode(to: TreeEncoder(node: node, codingPath: codingPath))
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .scalar(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.encode(value, into: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = node.child(forKey: key.stringValue)
            child.makeObject()
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let child = node.child(forKey: key.stringValue)
            child.makeArray()
            return Unkeyed(node: child, codingPath: codingPath + [key])
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.child(forKey: "super"), codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            TreeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]
        var count: Int {
            if case .array(let items) = node.content { return items.count }
            return 0
        }

        mutating func encodeNil() throws { node.appendChild().content = .scalar(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: node.appendChild(), codingPath: codingPath)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = node.appendChild()
            child.makeObject()
            return KeyedEncodingContainer(Keyed<NestedKey>(node: child, codingPath: codingPath))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = node.appendChild()
            child.makeArray()
            return Unkeyed(node: child, codingPath: codingPath)
        }
        mutating func superEncoder() -> any Encoder { TreeEncoder(node: node.appendChild(), codingPath: codingPath) }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.content = .scalar(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.encode(value, into: node, codingPath: codingPath)
        }
    }
}
