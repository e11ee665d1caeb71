import ArmadaAPI
import Foundation

/// Kubernetes JSON ⇄ the protobuf JSON of the same object, guided by `K8sShapes`: the two differ
/// only in `Quantity` (`"100m"` ⇄ `{"string": "100m"}`), `IntOrString` (`80` / `"http"` ⇄
/// `{"type": 0, "intVal": 80}` / `{"type": 1, "strVal": "http"}`) and `Time` (RFC 3339 ⇄
/// `{"seconds": …, "nanos": …}`). Everything else passes through unchanged. Pure.
public enum K8sJSON {
    static let quantity = "k8s.io.apimachinery.pkg.api.resource.Quantity"
    static let intOrString = "k8s.io.apimachinery.pkg.util.intstr.IntOrString"
    static let times: Set<String> = ["k8s.io.apimachinery.pkg.apis.meta.v1.Time", "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime"]

    /// Kubernetes JSON of a `type` message → protobuf JSON.
    public static func toProto(_ value: JSONValue, type: String) -> JSONValue {
        switch (type, value) {
        case (quantity, .string), (quantity, .number):
            return .object([.init("string", .string(text(value)))])
        case (intOrString, .number(let n)):
            return .object([.init("type", .number("0")), .init("intVal", .number(n))])
        case (intOrString, .string(let s)):
            return .object([.init("type", .number("1")), .init("strVal", .string(s))])
        case (let t, .string(let s)) where times.contains(t):
            guard let date = parseTime(s) else { return value }
            let seconds = date.timeIntervalSince1970.rounded(.down)
            let nanos = Int((date.timeIntervalSince1970 - seconds) * 1e9)
            return .object([.init("seconds", .number(String(Int64(seconds)))), .init("nanos", .number(String(nanos)))])
        default:
            return walk(nestInline(value, type: type), type: type, toProto)
        }
    }

    /// Protobuf JSON of a `type` message → Kubernetes JSON.
    public static func fromProto(_ value: JSONValue, type: String) -> JSONValue {
        switch (type, value) {
        case (quantity, .object(let members)):
            return members.first { $0.key == "string" }?.value ?? .string("0")
        case (intOrString, .object(let members)):
            // `type` is an int64, which protobuf JSON writes as a string.
            if members.first(where: { $0.key == "type" }).map({ text($0.value) }) == "1" {
                return members.first { $0.key == "strVal" }?.value ?? .string("")
            }
            return members.first { $0.key == "intVal" }?.value ?? .number("0")
        case (let t, .object(let members)) where times.contains(t):
            let seconds = members.first { $0.key == "seconds" }.map { Double(text($0.value)) ?? 0 } ?? 0
            return .string(formatTime(Date(timeIntervalSince1970: seconds)))
        default:
            return spliceInline(numbers(walk(value, type: type, fromProto), type: type), type: type)
        }
    }

    /// 64-bit integers back to JSON numbers (protobuf JSON quotes them).
    private static func numbers(_ value: JSONValue, type: String) -> JSONValue {
        guard case .object(let members) = value, let wide = K8sShapes.int64Fields[type] else { return value }
        return .object(members.map { member in
            guard wide.contains(member.key) else { return member }
            switch member.value {
            case .string(let s) where Int64(s) != nil || UInt64(s) != nil: return .init(member.key, .number(s))
            case .array(let items):
                return .init(member.key, .array(items.map { if case .string(let s) = $0, Int64(s) != nil { .number(s) } else { $0 } }))
            default: return member
            }
        })
    }

    /// `{"name": v, "emptyDir": {…}}` → `{"name": v, "volumeSource": {"emptyDir": {…}}}` for an embedded struct.
    private static func nestInline(_ value: JSONValue, type: String) -> JSONValue {
        guard case .object(let members) = value, let (field, keys) = K8sShapes.inline[type] else { return value }
        let moved = members.filter { keys.contains($0.key) }
        guard !moved.isEmpty else { return value }
        return .object(members.filter { !keys.contains($0.key) } + [.init(field, .object(moved))])
    }

    /// The reverse: the embedded struct's members back into the parent.
    private static func spliceInline(_ value: JSONValue, type: String) -> JSONValue {
        guard case .object(let members) = value, let (field, _) = K8sShapes.inline[type] else { return value }
        return .object(members.flatMap { member -> [JSONValue.Member] in
            guard member.key == field, case .object(let inner) = member.value else { return [member] }
            return inner
        })
    }

    /// Applies `convert` to the message-typed fields of an object of `type`.
    private static func walk(_ value: JSONValue, type: String, _ convert: (JSONValue, String) -> JSONValue) -> JSONValue {
        guard case .object(let members) = value, let fields = K8sShapes.fields[type] else { return value }
        return .object(members.map { member in
            guard let fieldType = fields[member.key] else { return member }
            let isMap = fieldType.hasPrefix("{}")
            let elementType = isMap ? String(fieldType.dropFirst(2)) : fieldType
            func one(_ v: JSONValue) -> JSONValue {
                if isMap, case .object(let entries) = v {
                    return .object(entries.map { .init($0.key, convert($0.value, elementType)) })
                }
                return convert(v, elementType)
            }
            if case .array(let items) = member.value, !isMap { return .init(member.key, .array(items.map(one))) }
            return .init(member.key, one(member.value))
        })
    }

    private static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s), .number(let s): s
        default: value.jsonText
        }
    }

    private static func parseTime(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }

    private static func formatTime(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
