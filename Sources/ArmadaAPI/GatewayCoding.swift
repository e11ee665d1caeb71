import Foundation

/// The gateway's JSON rules (REST doc §2): every Armada field is `omitempty`, so zero values are
/// left out on output; on input a missing key is the default and numbers may arrive as strings.
extension KeyedEncodingContainer {
    public mutating func encodeNonZero(_ value: String?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }
    public mutating func encodeNonZero(_ value: Bool?, forKey key: Key) throws {
        if value == true { try encode(true, forKey: key) }
    }
    public mutating func encodeNonZero<N: Encodable & Numeric>(_ value: N?, forKey key: Key) throws {
        if let value, value != .zero { try encode(value, forKey: key) }
    }
    public mutating func encodeNonZero<T: Encodable>(_ value: [T]?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }
    public mutating func encodeNonZero<T: Encodable>(_ value: [String: T]?, forKey key: Key) throws {
        if let value, !value.isEmpty { try encode(value, forKey: key) }
    }
    /// A numeric enum: value 0 is omitted, others are written as numbers.
    public mutating func encodeNonZero<E: ProtoEnum>(_ value: E?, forKey key: Key) throws {
        if let value, value.rawValue != 0 { try encode(value.rawValue, forKey: key) }
    }
}

extension KeyedDecodingContainer {
    /// A string, or "" when absent; numbers and booleans are accepted as their text.
    public func lenientString(_ key: Key) -> String {
        if let s = try? decodeIfPresent(String.self, forKey: key) { return s }
        if let i = try? decodeIfPresent(Int64.self, forKey: key) { return String(i) }
        if let d = try? decodeIfPresent(Double.self, forKey: key) { return JSONValue.numberText(d) }
        if let b = try? decodeIfPresent(Bool.self, forKey: key) { return b ? "true" : "false" }
        return ""
    }

    public func lenientBool(_ key: Key) -> Bool {
        if let b = try? decodeIfPresent(Bool.self, forKey: key) { return b }
        if let s = try? decodeIfPresent(String.self, forKey: key) { return s == "true" }
        return false
    }

    /// An integer from a number or a numeric string; 0 when absent or unreadable.
    public func lenientInteger<T: FixedWidthInteger & Decodable>(_ key: Key, as type: T.Type = T.self) -> T {
        if let v = try? decodeIfPresent(T.self, forKey: key) { return v }
        if let s = try? decodeIfPresent(String.self, forKey: key), let v = T(s) { return v }
        if let d = try? decodeIfPresent(Double.self, forKey: key), let v = T(exactly: d.rounded()) { return v }
        return 0
    }

    public func lenientDouble(_ key: Key) -> Double {
        if let d = try? decodeIfPresent(Double.self, forKey: key) { return d }
        if let s = try? decodeIfPresent(String.self, forKey: key), let d = Double(s) { return d }
        return 0
    }

    /// A string map whose values may be strings or numbers (quantities come either way).
    public func lenientStringMap(_ key: Key) -> [String: String] {
        guard let raw = try? decodeIfPresent([String: JSONValue].self, forKey: key) else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in raw {
            switch v {
            case .string(let s): out[k] = s
            case .number(let n): out[k] = n
            case .bool(let b): out[k] = b ? "true" : "false"
            default: continue
            }
        }
        return out
    }

    /// A message or list that failed to decode counts as absent rather than failing the whole event.
    public func tolerant<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }
}

/// Numeric protobuf enums read by number or name and written as numbers (REST doc §2.4).
extension ProtoEnum where Self: Decodable {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) {
            guard let value = Self(rawValue: n) else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown enum number \(n)")
            }
            self = value
            return
        }
        let name = try c.decode(String.self)
        guard let value = Self(name: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown enum name \"\(name)\"")
        }
        self = value
    }
}

extension ProtoEnum where Self: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// String-keyed coding keys for hand-written containers.
public struct AnyCodingKey: CodingKey, Hashable, ExpressibleByStringLiteral {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    public init(stringLiteral value: String) { stringValue = value }
}
