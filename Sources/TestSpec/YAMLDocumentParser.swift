import Yams

/// Splits YAML text into its documents, each as a located `YAMLNode` tree. Syntax errors become a
/// `Diagnostic` with the line and column libyaml reports; nothing is dropped silently (Yams' own
/// multi-document iterator stops quietly on an error, so the parser is driven directly).
public enum YAMLDocumentParser {
    /// Upper bound on nodes produced from one file, so alias expansion ("billion laughs") cannot
    /// exhaust memory.
    public static let maxNodes = 1_000_000
    /// Upper bound on the text of all scalars after alias expansion, beyond the file's own size:
    /// aliases may repeat at most this much (a 100 KB string referred to 10⁵ times would be 10 GB).
    public static let maxExpansionBytes = 16 << 20

    public struct Failure: Error, Sendable {
        public var diagnostic: Diagnostic
    }

    /// Scalars without an explicit tag get this one: `ScalarResolver` resolves them (YAML 1.2 core)
    /// later. Yams' default resolver would run its regexes on every scalar (it hashes keys to find
    /// duplicates), the loader's largest cost.
    static let implicitTag = "tag:armada-testsuite,2026:implicit"
    static let implicitResolver = try! Resolver.basic.appending(Tag.Name(rawValue: implicitTag), "^")

    public static func parse(_ text: String, file: String) throws(Failure) -> [YAMLNode] {
        var documents: [YAMLNode] = []
        do {
            let parser = try Parser(yaml: text, resolver: implicitResolver)
            var budget = Budget(nodes: maxNodes, bytes: maxExpansionBytes + text.utf8.count)
            while let root = try parser.nextRoot() {
                documents.append(try convert(root, budget: &budget, file: file))
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as YamlError {
            throw Failure(diagnostic: diagnostic(for: error, file: file))
        } catch {
            throw Failure(diagnostic: Diagnostic(.error, at: SourceLocation(file: file, line: 1, column: 1),
                                                 "cannot parse YAML: \(error)"))
        }
        return documents
    }

    /// What alias expansion may still produce.
    struct Budget {
        var nodes: Int
        var bytes: Int
    }

    private static func convert(_ node: Node, budget: inout Budget, file: String) throws(Failure) -> YAMLNode {
        budget.nodes -= 1
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        if budget.nodes < 0 {
            throw Failure(diagnostic: Diagnostic(
                .error, at: SourceLocation(file: file, line: line, column: column),
                "the document expands to more than \(maxNodes) nodes (aliases referring to aliases?)",
                hint: "write the repeated parts out, or use fewer nested aliases"))
        }
        switch node {
        case .scalar(let scalar):
            budget.bytes -= scalar.string.utf8.count
            if budget.bytes < 0 {
                throw Failure(diagnostic: Diagnostic(
                    .error, at: SourceLocation(file: file, line: line, column: column),
                    "aliases expand the document by more than \(maxExpansionBytes >> 20) MiB of text; the "
                        + "\(scalar.string.utf8.count)-byte value anchored here is repeated too often",
                    hint: "refer to large values fewer times, or write them out"))
            }
            let style: YAMLNode.ScalarStyle = scalar.style == .plain || scalar.style == .any ? .plain : .quoted
            let tag = scalar.tag.description
            return YAMLNode(.scalar(scalar.string, style, tag: tag.isEmpty || tag == "!" || tag == implicitTag ? nil : tag),
                            line: line, column: column)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            for item in sequence { items.append(try convert(item, budget: &budget, file: file)) }
            return YAMLNode(.sequence(items), line: line, column: column)
        case .mapping(let mapping):
            var pairs: [YAMLNode.Pair] = []
            var merged: [YAMLNode.Pair] = []
            for (key, value) in mapping {
                let k = try convert(key, budget: &budget, file: file)
                let v = try convert(value, budget: &budget, file: file)
                if case .scalar("<<", .plain, _) = k.kind {
                    merged += mergeSources(v)
                } else {
                    pairs.append(YAMLNode.Pair(key: k, value: v))
                }
            }
            // YAML merge keys (`<<: *defaults`): explicit keys win over merged ones.
            for pair in merged where !pairs.contains(where: { $0.key.scalarText == pair.key.scalarText }) {
                pairs.append(pair)
            }
            return YAMLNode(.mapping(pairs), line: line, column: column)
        case .alias:
            // Parser.nextRoot resolves aliases to their anchored node; an unresolved one is a bug upstream.
            throw Failure(diagnostic: Diagnostic(.error, at: SourceLocation(file: file, line: line, column: column),
                                                 "unresolved YAML alias"))
        }
    }

    private static func mergeSources(_ value: YAMLNode) -> [YAMLNode.Pair] {
        switch value.kind {
        case .mapping(let pairs): return pairs
        case .sequence(let items): return items.flatMap { $0.pairs ?? [] }
        case .scalar: return []
        }
    }

    /// 1-based line and column of libyaml's reader offset, which counts code points.
    static func position(ofCodePoint offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for u in text.unicodeScalars.prefix(max(0, offset)) {
            if u == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        let hint = "check the indentation and quoting around this position"
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return Diagnostic(.error, at: at(mark), message, hint: hint)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return Diagnostic(.error, at: at(context.mark), "duplicate key \(names) in one mapping",
                              hint: "keep one of them: YAML does not allow a key twice in a mapping")
        case .reader(let problem, let offset, let value, let yaml):
            // libyaml reports an offset; people need line and column, and which character.
            let (line, column) = offset.map { Self.position(ofCodePoint: $0, in: yaml) } ?? (1, 1)
            let character = value >= 0 ? String(format: "U+%04X", value) : nil
            let isControl = problem.contains("control characters")
            return Diagnostic(.error, at: SourceLocation(file: file, line: line, column: column),
                              isControl ? "control character \(character ?? "") is not allowed in YAML" : "cannot read the file as YAML: \(problem)",
                              hint: isControl ? "remove it, or write it as an escape (\\x01) inside a double-quoted string" : "save the file as UTF-8 text")
        default:
            return Diagnostic(.error, at: SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)")
        }
    }
}
