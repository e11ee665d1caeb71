import ArmadaAPI

/// How plain YAML scalars resolve to values. Typed test-case fields accept YAML 1.1 booleans
/// (`yes/no/on/off`, as go-yaml v2 reads upstream files); opaque Kubernetes trees use the YAML 1.2
/// core schema so strings such as `on` or `no` reach the API as written.
public enum ScalarResolver {
    public static func isNull(_ text: String) -> Bool {
        text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// YAML 1.1 boolean (go-yaml v2): `y/yes/true/on` and `n/no/false/off` in their usual casings.
    public static func bool(_ text: String) -> Bool? {
        switch text {
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// YAML 1.2 core boolean.
    public static func coreBool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// A plain scalar that is a finite number (decimal, `0x`/`0o` integers, floats with optional
    /// exponent, `_` separators as YAML 1.1 allows), rendered as JSON number text.
    public static func number(_ text: String) -> String? {
        let t = text.replacingUnderscores()
        guard !t.isEmpty else { return nil }
        var body = Substring(t)
        var sign = ""
        if body.first == "-" || body.first == "+" {
            sign = body.first == "-" ? "-" : ""
            body = body.dropFirst()
        }
        if body.hasPrefix("0x"), let v = Int64(body.dropFirst(2), radix: 16) { return sign + String(v) }
        if body.hasPrefix("0o"), let v = Int64(body.dropFirst(2), radix: 8) { return sign + String(v) }
        guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return nil }
        let allowed = Set("0123456789.eE+-")
        guard body.allSatisfy({ allowed.contains($0) }), body.contains(where: \.isNumber) else { return nil }
        if body.allSatisfy(\.isNumber) {
            let trimmed = body.drop { $0 == "0" }
            return sign + (trimmed.isEmpty ? "0" : String(trimmed))
        }
        guard let d = Double(sign + String(body)), d.isFinite else { return nil }
        return JSONValue.numberText(d)
    }

    /// Converts a node to a JSON tree (YAML 1.2 core scalars), for opaque Kubernetes objects.
    public static func json(_ node: YAMLNode) -> JSONValue {
        switch node.kind {
        case .mapping(let pairs):
            return .object(pairs.map { JSONValue.Member($0.key.scalarText ?? "", json($0.value)) })
        case .sequence(let items):
            return .array(items.map(json))
        case .scalar(let text, let style, let tag):
            if let tag {
                if tag.hasSuffix("str") { return .string(text) }
                if tag.hasSuffix("null") { return .null }
                if tag.hasSuffix("bool"), let b = bool(text) { return .bool(b) }
                if tag.hasSuffix("int") || tag.hasSuffix("float"), let n = number(text) { return .number(n) }
                return .string(text)
            }
            guard style == .plain else { return .string(text) }
            if isNull(text) { return .null }
            if let b = coreBool(text) { return .bool(b) }
            if let n = number(text) { return .number(n) }
            return .string(text)
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String {
        // YAML 1.1 allows `1_000`; only strip underscores between digits.
        guard contains("_") else { return self }
        let chars = Array(self)
        var out = ""
        for (i, c) in chars.enumerated() {
            if c == "_", i > 0, i < chars.count - 1, chars[i - 1].isHexDigit, chars[i + 1].isHexDigit { continue }
            out.append(c)
        }
        return out
    }
}
