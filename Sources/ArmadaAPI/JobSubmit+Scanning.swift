import Foundation

/// A type with a fast path for reading itself from JSON bytes: nil means "not sure", and the
/// caller decodes with `GoJSONDecoder` (the reference).
public protocol FastDecodable: Decodable {
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Self?
}

/// The simulator's hot request: a batch of jobs. Pod specs (most of the bytes) are read straight
/// into `JSONValue` trees; the other item fields go through `GoJSONDecoder` as a small object, so
/// their rules stay the reference path's. Anything unusual (duplicate keys, escaped item keys, numbers
/// that are not plain integers) is left to the `Codable` path, which tests compare this with.
extension JobSubmitRequest: FastDecodable {
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> JobSubmitRequest? {
        var s = JSONScanner(bytes)
        var request = JobSubmitRequest(queue: "", jobSetId: "", jobRequestItems: [])
        var seen: (queue: Bool, set: Bool, items: Bool) = (false, false, false)
        do {
            guard s.peek() == UInt8(ascii: "{") else { return nil }
            try s.members(keys:) { key, s in
                if key.equals("queue") {
                    guard !seen.queue else { throw JSONValue.Unsure() }
                    seen.queue = true
                    request.queue = try s.lenientString()
                } else if key.equals("jobSetId") {
                    guard !seen.set else { throw JSONValue.Unsure() }
                    seen.set = true
                    request.jobSetId = try s.lenientString()
                } else if key.equals("jobRequestItems") {
                    guard !seen.items else { throw JSONValue.Unsure() }
                    seen.items = true
                    switch s.peek() {
                    case UInt8(ascii: "n"): try s.skipValue()
                    case UInt8(ascii: "["): try s.elements { s in request.jobRequestItems.append(try JobSubmitRequestItem.scan(&s)) }
                    default: throw JSONValue.Unsure()
                    }
                } else {
                    // A key Go would match case-insensitively (`QUEUE`) is the reference path's.
                    guard !key.folds(to: ["queue", "jobsetid", "jobrequestitems"]) else { throw JSONValue.Unsure() }
                    try s.skipValue()
                }
            }
            guard s.atEnd() else { return nil }
            return request
        } catch {
            return nil
        }
    }
}

extension JobSubmitRequestItem {
    static func scan(_ s: inout JSONScanner) throws -> JobSubmitRequestItem {
        guard s.peek() == UInt8(ascii: "{") else { throw JSONValue.Unsure() }
        var rest: [UInt8] = [UInt8(ascii: "{")]
        var podSpec: JSONValue?, podSpecs: [JSONValue]?
        var seenSpec = false, seenSpecs = false
        try s.members(keys:) { key, s in
            guard let raw = key.raw else { throw JSONValue.Unsure() }
            if key.equals("podSpec") {
                guard !seenSpec else { throw JSONValue.Unsure() }
                seenSpec = true
                podSpec = try JSONValue.scanOptional(&s)
            } else if key.equals("podSpecs") {
                guard !seenSpecs else { throw JSONValue.Unsure() }
                seenSpecs = true
                switch try JSONValue.scanOptional(&s) {
                case .array(let items)?: podSpecs = items
                case nil: podSpecs = nil
                default: throw JSONValue.Unsure()
                }
            } else {
                guard !key.folds(to: ["podspec", "podspecs"]) else { throw JSONValue.Unsure() }
                if rest.count > 1 { rest.append(UInt8(ascii: ",")) }
                rest.append(UInt8(ascii: "\""))
                rest.append(contentsOf: raw)
                rest += Array("\":".utf8)
                rest.append(contentsOf: try s.rawValue())
            }
        }
        rest.append(UInt8(ascii: "}"))
        var item = try GoJSONDecoder().decode(JobSubmitRequestItem.self, from: rest)
        item.podSpec = podSpec
        item.podSpecs = podSpecs
        return item
    }
}

extension JSONValue {
    /// The fast path cannot promise the `Codable` path's result.
    struct Unsure: Error {}

    /// nil for `null`, as `decodeIfPresent` reads it.
    static func scanOptional(_ s: inout JSONScanner) throws -> JSONValue? {
        if s.peek() == UInt8(ascii: "n") {
            try s.skipValue()
            return nil
        }
        return try scan(&s)
    }

    /// How deeply arrays and objects may nest: Foundation's JSON readers stop at 512 too, so a
    /// deeper body falls back to the `Codable` path and is refused there (InvalidArgument), and
    /// nothing recursive ever runs out of stack.
    public static let maxDepth = 512

    /// A value as `init(from:)` builds it.
    static func scan(_ s: inout JSONScanner, depth: Int = 0) throws -> JSONValue {
        switch s.peek() {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw Unsure() }
            var members: [Member] = []
            try s.members(keys:) { key, s in
                let name = key.string
                if members.contains(where: { $0.key == name }) { throw Unsure() }
                members.append(Member(name, try scan(&s, depth: depth + 1)))
            }
            return .object(members)
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw Unsure() }
            var items: [JSONValue] = []
            try s.elements { s in items.append(try scan(&s, depth: depth + 1)) }
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try s.readString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let first = s.peek()
            try s.skipValue()
            return first == UInt8(ascii: "t") ? .bool(true) : first == UInt8(ascii: "f") ? .bool(false) : .null
        default:
            guard let text = try s.numberText(), let integer = Int64(text) else { throw Unsure() }
            return .number(String(integer))
        }
    }
}
