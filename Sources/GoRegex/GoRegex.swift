/// A regular expression with the syntax and semantics of Go's `regexp` (RE2), which Armada uses
/// for `onTerminationMessagePattern` and the upstream testsuite for `reason`: a pattern is valid
/// here exactly when Go accepts it, and matches what Go matches (Unicode code points, ASCII `\d\s\w\b`,
/// `.` without `\n` unless `(?s)`, `^`/`$` at the text's ends unless `(?m)`, leftmost-first).
/// Matching is linear in the text. A value: `Sendable`, compiled once, shared freely.
public struct GoRegex: Sendable, CustomStringConvertible {
    public let pattern: String
    private let program: RegexProgram

    /// Compiles `pattern`, or throws what Go's `regexp.Compile` would report.
    public init(_ pattern: String) throws(GoRegexError) {
        var parser = RegexParser(pattern)
        let root = try parser.parse()
        self.pattern = pattern
        self.program = RegexProgram(root.node)
    }

    /// Why `pattern` does not compile in Go, or nil when it does.
    public static func problem(in pattern: String) -> GoRegexError? {
        var parser = RegexParser(pattern)
        do {
            _ = try parser.parse()
            return nil
        } catch {
            return error
        }
    }

    /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
    public func matches(_ text: String) -> Bool {
        var vm = PikeVM(program, text: Array(text.unicodeScalars))
        return vm.run(stopAtFirst: true) != nil
    }

    /// The leftmost-first match (Go's `FindString`), or nil.
    public func firstMatch(in text: String) -> Substring? {
        let scalars = Array(text.unicodeScalars)
        var vm = PikeVM(program, text: scalars)
        guard let range = vm.run(stopAtFirst: false) else { return nil }
        let view = text.unicodeScalars
        let lower = view.index(view.startIndex, offsetBy: range.lowerBound)
        let upper = view.index(lower, offsetBy: range.count)
        return Substring(view[lower..<upper])
    }

    public var description: String { "/\(pattern)/" }
}
