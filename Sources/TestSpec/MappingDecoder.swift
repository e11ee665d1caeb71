import ArmadaAPI

/// Reads one YAML mapping field by field. Each field is found by its camelCase name or its proto
/// snake_case spelling (case-insensitive as a last resort, with a warning); `finish()` then reports
/// every key nobody asked for, with a did-you-mean suggestion, as an error (or a warning when
/// lenient).
final class MappingDecoder {
    let node: YAMLNode
    let path: FieldPath
    let context: DecodeContext
    let allPairs: [YAMLNode.Pair]
    private var consumed = Set<Int>()
    private var known: [String] = []
    /// Each key lowercased, computed once (every field lookup compares against all keys).
    private lazy var lowercasedKeys: [String?] = allPairs.map { $0.key.scalarText.map(MappingDecoder.lower) }

    init(node: YAMLNode, path: FieldPath, context: DecodeContext) {
        self.node = node
        self.path = path
        self.context = context
        self.allPairs = node.pairs ?? []
    }

    /// The proto spelling of a camelCase name: `expectedEvents` → `expected_events`,
    /// `useClusterIP` → `use_cluster_ip`.
    static func snakeCase(_ name: String) -> String {
        if let ascii = asciiSnakeCase(name) { return ascii }
        var out = ""
        var previous: Character?
        for ch in name {
            if ch.isUppercase, let p = previous, p.isLowercase || p.isNumber { out += "_" }
            out += ch.lowercased()
            previous = ch
        }
        return out
    }

    /// `snakeCase` for ASCII names without Unicode character properties (the loader's hot path).
    private static func asciiSnakeCase(_ name: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + 4)
        var previous: UInt8 = 0
        for b in name.utf8 {
            guard b < 0x80 else { return nil }
            let upper = (0x41...0x5A).contains(b)
            if upper, (0x61...0x7A).contains(previous) || (0x30...0x39).contains(previous) { out.append(UInt8(ascii: "_")) }
            out.append(upper ? b + 0x20 : b)
            previous = b
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercased, with an ASCII fast path.
    static func lower(_ s: String) -> String {
        s.utf8.allSatisfy { $0 < 0x80 } ? String(decoding: s.utf8.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
            : s.lowercased()
    }

    /// The key and value of field `name`, marking it as read.
    func entry(_ name: String) -> YAMLNode.Pair? {
        known.append(name)
        let snake = MappingDecoder.snakeCase(name)
        let lowerName = MappingDecoder.lower(name)
        var exact: [Int] = []
        var loose: [Int] = []
        let lowered = lowercasedKeys
        for (i, pair) in allPairs.enumerated() {
            guard let key = pair.key.scalarText else { continue }
            if key == name || key == snake {
                exact.append(i)
            } else if let lower = lowered[i], lower == lowerName || lower == snake {
                loose.append(i)
            }
        }
        let matches = exact + loose
        guard let first = matches.first else { return nil }
        consumed.formUnion(matches)
        if matches.count > 1 {
            let spellings = matches.map { "\"\(allPairs[$0].key.scalarText ?? "")\" (line \(allPairs[$0].key.line))" }
            context.error(allPairs[matches[1]].key, path.appending(name),
                          "\(name) is given more than once: \(spellings.joined(separator: ", "))",
                          hint: "keep one spelling")
        }
        let pair = allPairs[first]
        if exact.isEmpty, let key = pair.key.scalarText {
            context.warning(pair.key, path.appending(name), "key \"\(key)\" matches \"\(name)\" only ignoring case",
                            hint: "write \"\(name)\"")
        }
        return pair
    }

    func field(_ name: String) -> YAMLNode? { entry(name)?.value }

    /// Keys nobody asked for are errors (warnings when lenient). `legacy` maps keys of older
    /// upstream formats to advice on their replacement.
    func finish(legacy: [String: String] = [:]) {
        for (i, pair) in allPairs.enumerated() where !consumed.contains(i) {
            let key = pair.key.scalarText ?? pair.key.kindDescription
            let keyPath = path.appending(key)
            if let advice = legacy[key] {
                let message = "\"\(key)\" is a legacy key that Armada's testsuite no longer reads"
                if context.lenient {
                    context.warning(pair.key, keyPath, message + "; it is ignored", hint: advice)
                } else {
                    context.error(pair.key, keyPath, message, hint: advice)
                }
                continue
            }
            let suggestion = Suggestions.closest(to: key, in: known)
            let message = "unknown key \"\(key)\"" + (path.isRoot ? " at the top level" : "")
                + (suggestion.map { "; did you mean \"\($0)\"?" } ?? "")
            let hint = suggestion == nil ? "known keys here: \(known.joined(separator: ", "))" : nil
            if context.lenient {
                context.warning(pair.key, path, message + " (ignored: --lenient)", hint: hint)
            } else {
                context.error(pair.key, path, message,
                              hint: hint.map { $0 + "; --lenient turns unknown keys into warnings" })
            }
        }
    }

    // MARK: Typed fields

    private func p(_ name: String) -> FieldPath { path.appending(name) }

    func string(_ name: String) -> String? { field(name).flatMap { context.string($0, p(name)) } }
    func bool(_ name: String) -> Bool? { field(name).flatMap { context.bool($0, p(name)) } }
    func double(_ name: String) -> Double? { field(name).flatMap { context.double($0, p(name)) } }
    func uint32(_ name: String) -> UInt32? { field(name).flatMap { context.integer($0, p(name), as: UInt32.self) } }
    func int64(_ name: String) -> Int64? { field(name).flatMap { context.integer($0, p(name), as: Int64.self) } }
    func duration(_ name: String) -> GoDuration? { field(name).flatMap { context.duration($0, p(name)) } }
    func stringMap(_ name: String) -> [String: String]? { field(name).flatMap { context.stringMap($0, p(name)) } }
    func doubleMap(_ name: String) -> [String: Double]? { field(name).flatMap { context.doubleMap($0, p(name)) } }
    func stringList(_ name: String) -> [String]? { field(name).flatMap { context.stringList($0, p(name)) } }
    func uint32List(_ name: String) -> [UInt32]? {
        field(name).flatMap { context.integerList($0, p(name), as: UInt32.self) }
    }
    func int32List(_ name: String) -> [Int32]? {
        field(name).flatMap { context.integerList($0, p(name), as: Int32.self) }
    }
    func protoEnum<E: ProtoEnum>(_ name: String, as type: E.Type) -> E? {
        field(name).flatMap { context.protoEnum($0, p(name), as: type) }
    }
    func kubernetesObject(_ name: String) -> JSONValue? { field(name).flatMap { context.kubernetesObject($0, p(name)) } }

    /// A nested message; nil when absent or null (proto-JSON: a null message is unset).
    func mapping(_ name: String) -> MappingDecoder? { field(name).flatMap { context.mapping($0, p(name)) } }

    /// A list field's items with their paths; empty when absent or null.
    func list(_ name: String) -> [(FieldPath, YAMLNode)] {
        guard let node = field(name) else { return [] }
        return context.list(node, p(name))
    }

    /// Decodes each item of a message list with `decode`, dropping items that failed.
    func messages<T>(_ name: String, _ decode: (MappingDecoder) -> T?) -> [T]? {
        guard let node = field(name), !node.isNull else { return nil }
        return context.list(node, p(name)).compactMap { itemPath, item in
            guard let m = context.mapping(item, itemPath) else {
                if item.isNull { context.error(item, itemPath, "empty list item") }
                return nil
            }
            return decode(m)
        }
    }
}
