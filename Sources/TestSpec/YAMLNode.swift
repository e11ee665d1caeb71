/// A parsed YAML node with its position; the tree every decoder in this module reads.
public struct YAMLNode: Sendable, Hashable {
    public enum ScalarStyle: Sendable, Hashable {
        case plain
        /// Single- or double-quoted, literal or folded: always a string.
        case quoted
    }

    public struct Pair: Sendable, Hashable {
        public var key: YAMLNode
        public var value: YAMLNode
    }

    public indirect enum Kind: Sendable, Hashable {
        /// The text, its style and its resolved tag (`tag:yaml.org,2002:str`, `…:int`; YAML 1.2 core
        /// resolution as Yams applies it, or the tag written explicitly).
        case scalar(String, ScalarStyle, tag: String?)
        case mapping([Pair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// A plain null (`~`, `null`, an empty value) or an explicit `!!null`.
    public var isNull: Bool {
        guard case .scalar(let text, let style, let tag) = kind else { return false }
        if let tag { return tag.hasSuffix(":null") || tag == "!!null" }
        return style == .plain && ScalarResolver.isNull(text)
    }

    /// The text of a scalar, `nil` for collections.
    public var scalarText: String? {
        if case .scalar(let text, _, _) = kind { return text }
        return nil
    }

    public var pairs: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// What the node is, for error messages ("a mapping", "the string \"abc\"").
    public var kindDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, let style, _):
            if isNull { return "null" }
            if style == .plain, ScalarResolver.bool(text) != nil { return "the boolean \(text)" }
            if style == .plain, ScalarResolver.number(text) != nil { return "the number \(text)" }
            return "the string \"\(text)\""
        }
    }
}
