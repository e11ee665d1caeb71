import ArmadaAPI

/// Shared state of one file's decoding: where diagnostics go and how strict to be.
final class DecodeContext {
    let file: String
    let lenient: Bool
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, lenient: Bool) {
        self.file = file
        self.lenient = lenient
    }

    func location(of node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line, column: node.column)
    }

    func error(_ node: YAMLNode, _ path: FieldPath, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, at: location(of: node), path: path, message, hint: hint))
    }

    func warning(_ node: YAMLNode, _ path: FieldPath, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, at: location(of: node), path: path, message, hint: hint))
    }

    func add(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// Whether an error was already reported for exactly this path.
    func hasError(at path: FieldPath) -> Bool { diagnostics.contains { $0.isError && $0.path == path } }

    /// Whether an error was already reported for this path or anything inside it (`values[0]` for `values`).
    func hasError(within path: FieldPath) -> Bool {
        let prefix = "\(path)"
        return diagnostics.contains { d in
            guard d.isError else { return false }
            let text = "\(d.path)"
            return text == prefix || (text.hasPrefix(prefix) && [".", "["].contains(text.dropFirst(prefix.count).first.map(String.init) ?? ""))
        }
    }

    /// Opens a mapping for field-by-field reading; reports an error and returns nil for other kinds.
    /// A null value means "not set" (proto-JSON rule) and also returns nil, silently.
    func mapping(_ node: YAMLNode, _ path: FieldPath) -> MappingDecoder? {
        if node.isNull { return nil }
        guard node.pairs != nil else {
            error(node, path, "expected a mapping (key: value lines), found \(node.kindDescription)")
            return nil
        }
        return MappingDecoder(node: node, path: path, context: self)
    }

    /// The items of a list; a null value is an empty list.
    func list(_ node: YAMLNode, _ path: FieldPath) -> [(FieldPath, YAMLNode)] {
        if node.isNull { return [] }
        guard let items = node.items else {
            error(node, path, "expected a list (lines starting with '- '), found \(node.kindDescription)")
            return []
        }
        return items.enumerated().map { (path.appending(index: $0.offset), $0.element) }
    }

    // MARK: Scalars

    func string(_ node: YAMLNode, _ path: FieldPath) -> String? {
        if node.isNull { return nil }
        guard let text = node.scalarText else {
            error(node, path, "expected a string, found \(node.kindDescription)")
            return nil
        }
        return text
    }

    func bool(_ node: YAMLNode, _ path: FieldPath) -> Bool? {
        if node.isNull { return nil }
        if case .scalar(let text, .plain, _) = node.kind, let b = ScalarResolver.bool(text) { return b }
        error(node, path, "expected true or false, found \(node.kindDescription)",
              hint: node.scalarText.flatMap(ScalarResolver.bool) != nil ? "remove the quotes" : nil)
        return nil
    }

    func double(_ node: YAMLNode, _ path: FieldPath) -> Double? {
        if node.isNull { return nil }
        if let text = node.scalarText, let n = ScalarResolver.number(text), let d = Double(n) { return d }
        error(node, path, "expected a number, found \(node.kindDescription)")
        return nil
    }

    func integer<T: FixedWidthInteger>(_ node: YAMLNode, _ path: FieldPath, as type: T.Type) -> T? {
        if node.isNull { return nil }
        if let text = node.scalarText, let n = ScalarResolver.number(text) {
            if let v = T(n) { return v }
            if let d = Double(n), d == d.rounded(), let v = T(exactly: d) { return v }
            error(node, path, "\(text) is out of range: expected a whole number from \(T.min) to \(T.max)")
            return nil
        }
        error(node, path, "expected a whole number, found \(node.kindDescription)")
        return nil
    }

    /// A Go duration string (`"100s"`, `"1m30s"`); a bare number is an error, as upstream.
    func duration(_ node: YAMLNode, _ path: FieldPath) -> GoDuration? {
        if node.isNull { return nil }
        guard case .scalar(let text, let style, _) = node.kind else {
            error(node, path, "expected a duration such as \"100s\", found \(node.kindDescription)")
            return nil
        }
        if style == .plain, ScalarResolver.number(text) != nil {
            error(node, path, "a bare number is not a duration", hint: "add a unit, for example \"\(text)s\"")
            return nil
        }
        do {
            return try GoDuration(parsing: text)
        } catch {
            self.error(node, path, "\(error)", hint: "use Go duration syntax: \"100s\", \"1m30s\", \"1.5h\", \"250ms\"")
            return nil
        }
    }

    func stringMap(_ node: YAMLNode, _ path: FieldPath) -> [String: String]? {
        guard let m = mapping(node, path) else { return nil }
        var out: [String: String] = [:]
        for pair in m.allPairs {
            guard let key = pair.key.scalarText else {
                error(pair.key, path, "map keys must be strings")
                continue
            }
            let p = path.appending(key)
            if pair.value.isNull {
                out[key] = ""
            } else if let value = string(pair.value, p) {
                out[key] = value
            }
        }
        return out
    }

    func doubleMap(_ node: YAMLNode, _ path: FieldPath) -> [String: Double]? {
        guard let m = mapping(node, path) else { return nil }
        var out: [String: Double] = [:]
        for pair in m.allPairs {
            guard let key = pair.key.scalarText else { continue }
            if let v = double(pair.value, path.appending(key)) { out[key] = v }
        }
        return out
    }

    func stringList(_ node: YAMLNode, _ path: FieldPath) -> [String]? {
        if node.isNull { return nil }
        return list(node, path).compactMap { string($0.1, $0.0) }
    }

    func integerList<T: FixedWidthInteger>(_ node: YAMLNode, _ path: FieldPath, as type: T.Type) -> [T]? {
        if node.isNull { return nil }
        return list(node, path).compactMap { integer($0.1, $0.0, as: type) }
    }

    /// A protobuf enum by exact name or number.
    func protoEnum<E: ProtoEnum>(_ node: YAMLNode, _ path: FieldPath, as type: E.Type) -> E? {
        guard let text = string(node, path) else { return nil }
        if let value = E(name: text) { return value }
        let names = E.protoNames
        let suggestion = Suggestions.closest(to: text, in: names).map { "did you mean \"\($0)\"? " } ?? ""
        error(node, path, "unknown value \"\(text)\"; \(suggestion)expected one of \(names.joined(separator: ", "))")
        return nil
    }

    /// A Kubernetes object kept as a JSON tree; it must be a mapping.
    func kubernetesObject(_ node: YAMLNode, _ path: FieldPath) -> JSONValue? {
        if node.isNull { return nil }
        guard node.pairs != nil else {
            error(node, path, "expected a Kubernetes object (a mapping), found \(node.kindDescription)")
            return nil
        }
        return ScalarResolver.json(node)
    }
}
