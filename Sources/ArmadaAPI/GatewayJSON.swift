
/// Encodes request and response bodies the way the gateway's Go `encoding/json` does: every
/// Armada field is `omitempty`, so `false`, `0`, `""`, empty lists and maps and nulls are left
/// out — but only for fields: entries of map-typed fields (labels, job states …) are kept, and
/// Kubernetes objects (`podSpec`, `podSpecs`) pass through untouched (REST doc §2.2, §2.7).
public enum GatewayJSON {
    /// Fields holding Kubernetes objects, written as given.
    public static let kubernetesFields: Set<String> = ["podSpec", "podSpecs", "k8sIngress", "k8sService",
                                                       "schedulingResourceRequirements"]
    /// Map-typed fields: their entries are values, not fields, and are never dropped.
    public static let mapFields: Set<String> = [
        "labels", "annotations", "requiredNodeLabels", "resourceLimits", "maximumResourceFraction",
        "maximumResourceFractionByPool", "resourceLimitsByPriorityClassName", "jobStates", "preemptionResults",
        "reprioritizationResults", "activeQueuesByPool", "ingressAddresses", "exitCodes", "MaxResourcesForPeriod",
        "AvgResourcesForPeriod", "totalCumulativeUsage",
    ]

    /// Members in declaration order (`encode(to:)` order), zero-valued fields left out.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        if let writable = value as? any GatewayWritable, let bytes = writable.gatewayBytes() { return bytes }
        var w = JSONWriter(capacity: 256)
        (strip(try JSONValueEncoder().encode(value)) ?? .object([])).write(to: &w) // the bytes of `jsonText`
        return w.bytes
    }

    /// As `encode`, as text.
    public static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// The value with zero-valued fields removed; nil when the value itself is a zero value.
    public static func strip(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .null: return nil
        case .bool(let b): return b ? value : nil
        case .number(let n): return Double(n) == 0 ? nil : value
        case .string(let s): return s.isEmpty ? nil : value
        case .array(let items): return items.isEmpty ? nil : .array(items.map(keepEntry))
        case .object(let members):
            var kept: [JSONValue.Member] = []
            for m in members {
                if kubernetesFields.contains(m.key) {
                    if m.value != .null { kept.append(m) }
                } else if mapFields.contains(m.key), case .object(let entries) = m.value {
                    if !entries.isEmpty { kept.append(.init(m.key, .object(entries.map { .init($0.key, keepEntry($0.value)) }))) }
                } else if let v = strip(m.value) {
                    kept.append(.init(m.key, v))
                }
            }
            return kept.isEmpty ? nil : .object(kept)
        }
    }

    /// A list element or map entry: kept even when zero; messages inside are stripped.
    private static func keepEntry(_ value: JSONValue) -> JSONValue {
        if case .object = value { return strip(value) ?? .object([]) }
        return value
    }
}
